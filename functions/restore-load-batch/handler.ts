import { createS3Client } from '../../src/aws/clients.ts';
import { InvalidEvidenceError } from '../../src/errors.ts';
import type { EvidenceDependencies } from '../../src/evidence/config.ts';
import { locationOfUri } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import type { RestoreBatchTask, RestoreItem } from '../../src/restore/types.ts';

/** Reads one batch's items, which `PlanRestore` wrote to the evidence, for the child execution's volume Map. */
export function createRestoreLoadBatchHandler({ evidence }: Pick<EvidenceDependencies, 'evidence'>) {
  return stepHandler(async ({ batch }: RestoreBatchTask): Promise<RestoreItem[]> => {
    const location = locationOfUri(batch.itemsUri);
    if (!location) throw new InvalidEvidenceError(`${batch.itemsUri} is not an s3:// URI`);
    const items = await evidence.getJson(location);
    if (!Array.isArray(items) || items.length !== batch.volumes) {
      throw new InvalidEvidenceError(
        `${batch.itemsUri} does not hold the ${batch.volumes} volumes of batch ${batch.index}`,
      );
    }
    logger.info('Restore batch loaded', { batch: batch.index, volumes: items.length });
    return items as RestoreItem[];
  });
}

export const handler = createRestoreLoadBatchHandler({ evidence: createEvidenceStore({ s3: createS3Client() }) });
