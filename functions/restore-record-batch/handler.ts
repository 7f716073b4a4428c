import { createS3Client } from '../../src/aws/clients.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { restoreEvidence } from '../../src/restore/evidence.ts';
import type { RestoreBatchRecord } from '../../src/restore/types.ts';

/** What the child execution ends with: small, whatever the batch held. */
export interface RestoreBatchRecorded {
  index: number;
  volumes: number;
}

/**
 * Writes one batch's outcomes (what each volume made, saw, deleted, and what failed), or its volume Map's failure,
 * to the evidence, where `SummariseRestore` reads every batch's: a child's output never grows the parent's state.
 */
export function createRestoreRecordBatchHandler({ evidence, evidenceBucket }: EvidenceDependencies) {
  return stepHandler(async (state: RestoreBatchRecord): Promise<RestoreBatchRecorded> => {
    // The child's whole state: only the record is kept, not the items and options it also holds.
    const { batch, execution, outcomes, mapFailure } = state;
    const record: RestoreBatchRecord = {
      batch,
      execution,
      ...(outcomes ? { outcomes } : {}),
      ...(mapFailure ? { mapFailure } : {}),
    };
    const where = restoreEvidence(evidenceBucket(), execution.id);
    await evidence.putJson(where.batchOutcomes(batch.index), record);
    logger.info('Restore batch recorded', {
      batch: record.batch.index,
      outcomes: record.outcomes?.length ?? 0,
      mapFailed: record.mapFailure !== undefined,
    });
    return { index: record.batch.index, volumes: record.outcomes?.length ?? 0 };
  });
}

export const handler = createRestoreRecordBatchHandler({
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
});
