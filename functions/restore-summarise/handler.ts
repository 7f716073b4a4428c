import { createS3Client } from '../../src/aws/clients.ts';
import { InvalidEvidenceError } from '../../src/errors.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { executionEvidence, executionRefFromArn } from '../../src/evidence/keys.ts';
import { s3Uri } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { buildRestoreReport, type RestoreDigest, restoreDigestOf, restoreFailed } from '../../src/restore/report.ts';
import type { RestoreSummariseRequest } from '../../src/restore/types.ts';

export interface RestoreSummariseResult {
  digest: RestoreDigest;
  failed: boolean;
  /** When failed: the digest, the cause of `RestoreFailed`. */
  cause?: string;
}

export interface RestoreSummariseDependencies extends EvidenceDependencies {
  now: () => number;
}

/**
 * Writes the restore's whole account (every volume: what was made, its state, its RTO, what was deleted) to its
 * evidence, `report.json` under the execution's prefix, and returns the digest.
 */
export function createRestoreSummariseHandler({ evidence, evidenceBucket, now }: RestoreSummariseDependencies) {
  return stepHandler(async (request: RestoreSummariseRequest): Promise<RestoreSummariseResult> => {
    const report = buildRestoreReport(request, now());
    const ref = executionRefFromArn(request.execution.id);
    if (!ref) throw new InvalidEvidenceError(`${request.execution.id} is not the ARN of a standard execution`);
    const location = executionEvidence(evidenceBucket(), ref).report;
    await evidence.putJson(location, report);
    const digest = restoreDigestOf(report, s3Uri(location));
    const failed = restoreFailed(report);
    logger.info('Restore summarised', { ...report.summary, failed });
    return { digest, failed, ...(failed ? { cause: JSON.stringify(digest) } : {}) };
  });
}

export const handler = createRestoreSummariseHandler({
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
  now: Date.now,
});
