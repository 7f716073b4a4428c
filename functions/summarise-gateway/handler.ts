import { createS3Client } from '../../src/aws/clients.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { runEvidence } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { type GatewayCounts, gatewayCounts, gatewayReportOf } from '../../src/report/gateway-report.ts';
import { gatewayRetentionOf, retentionEvidence } from '../../src/retention/evidence.ts';
import type { GatewayIteration } from '../../src/workflow/types.ts';

/** What a gateway's child execution ends with: a few counts, the same size for any gateway. */
export interface GatewaySummary {
  gatewayArn: string;
  counts: GatewayCounts;
}

/** Writes one gateway's whole account to its evidence object and returns only its counts. */
export function createSummariseGatewayHandler({ evidence, evidenceBucket }: EvidenceDependencies) {
  return stepHandler(async (iteration: GatewayIteration): Promise<GatewaySummary> => {
    const report = gatewayReportOf(iteration);
    // Retention (issue 12): its rows join the gateway's account.
    const retention = await gatewayRetentionOf(
      retentionEvidence(evidence, evidenceBucket(), iteration.execution.id, iteration.gatewayArn),
      iteration,
    );
    if (retention) report.retention = retention;
    const written = await runEvidence(evidence, evidenceBucket(), iteration.execution.id).writeGateway(report);
    const counts = gatewayCounts(report);
    logger.info('Gateway done', { ...counts, evidence: written.location.key, bytes: written.bytes });
    return { gatewayArn: iteration.gatewayArn, counts };
  });
}

export const handler = createSummariseGatewayHandler({
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
});
