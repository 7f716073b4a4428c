import { handler, type SummariseRequest } from '../../../functions/summarise/handler.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import type { ExecutionReport } from '../../../src/report/execution-report.ts';
import { type GatewayResult, summariseGateway } from '../../../src/report/gateway-result.ts';
import { CAUSE_BUDGET_BYTES, REPORT_BUDGET_BYTES } from '../../../src/report/limits.ts';
import { EXECUTION, GATEWAY_ARN, optionsOf, volumeArn } from '../fixtures.ts';
import { bytes, created, failed, iteration, TIME, volumeIds } from '../report/helpers.ts';

const context = () => localLambdaContext('summarise', 60);

function gateway(gatewayArn: string, ids: string[], failing: number): GatewayResult {
  return summariseGateway(
    iteration({
      gatewayArn,
      listed: {
        recoveryPoints: ids.length,
        selected: ids.map((id) => ({
          volumeArn: volumeArn(id, gatewayArn),
          recoveryPointTime: TIME,
          sizeBytes: 1_000,
        })),
        skipped: [],
        failures: [],
      },
      outcomes: ids.map((id, i) =>
        i < failing
          ? failed(id, 'InternalServerError', `volume ${i}: ${'x'.repeat(900)}`, gatewayArn)
          : created(id, gatewayArn),
      ),
    }),
    1_000_000,
  );
}

function request(gateways: GatewayResult[]): SummariseRequest {
  return { options: optionsOf(), execution: EXECUTION, gateways };
}

describe('summarise handler', () => {
  it('reports a run without failures as succeeded, with no cause', async () => {
    // Act
    const result = await handler(request([gateway(GATEWAY_ARN, volumeIds(3), 0)]), context());

    // Assess
    expect(result.failed).toBe(false);
    expect(result.cause).toBe('');
    expect(result.report.summary).toMatchObject({ gateways: 1, recoveryPoints: 3, created: 3, failed: 0 });
    expect(result.report.manifest[0]?.volumes).toHaveLength(3);
  });

  it('fails a run with any failure and puts the report in the cause, cut to fit but naming every failed volume', async () => {
    // Prepare: 20 gateways of 32 volumes, 10 of each failing with ~1 kB causes: far over the cause budget.
    const gateways = Array.from({ length: 20 }, (_, g) =>
      gateway(GATEWAY_ARN.replace('sgw-12A3456B', `sgw-${String(g).padStart(8, '0')}`), volumeIds(32), 10),
    );

    // Act
    const result = await handler(request(gateways), context());

    // Assess
    const cause = JSON.parse(result.cause) as ExecutionReport;
    expect(result.failed).toBe(true);
    expect(Buffer.byteLength(result.cause)).toBeLessThanOrEqual(CAUSE_BUDGET_BYTES);
    expect(bytes(result.report)).toBeLessThanOrEqual(REPORT_BUDGET_BYTES);
    expect(cause.summary).toEqual(result.report.summary);
    expect(cause.summary.failed).toBe(200);
    expect(cause.gateways?.flatMap((g) => g.failures.flatMap((f) => f.volumeIds))).toHaveLength(200);
  });
});
