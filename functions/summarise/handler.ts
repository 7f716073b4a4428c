import type { ExecutionOptions } from '../../src/input/schema.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { CAUSE_BUDGET_BYTES, REPORT_BUDGET_BYTES } from '../../src/report/limits.ts';
import { buildReport, type ExecutionReport, fitReport } from '../../src/report/execution-report.ts';
import type { GatewayResult } from '../../src/report/gateway-result.ts';
import type { ExecutionRef } from '../../src/workflow/types.ts';

export interface SummariseRequest {
  options: ExecutionOptions;
  execution: ExecutionRef;
  gateways: GatewayResult[];
}

export interface SummariseResult {
  report: ExecutionReport;
  failed: boolean;
  /** When failed: the report again, cut to what an execution's failure cause can hold. */
  cause: string;
}

/** Builds the execution report; `failed` sends the execution to `SnapshotsFailed`. */
export const handler = stepHandler(
  async ({ options, execution, gateways }: SummariseRequest): Promise<SummariseResult> => {
    const report = buildReport(execution, options.dryRun, gateways);
    const failed = report.summary.failed > 0;
    logger.info('Execution summary', { ...report.summary });
    return {
      report: fitReport(report, gateways, REPORT_BUDGET_BYTES),
      failed,
      cause: failed ? JSON.stringify(fitReport(report, gateways, CAUSE_BUDGET_BYTES)) : '',
    };
  },
);
