import { createS3Client } from '../../src/aws/clients.ts';
import { InvalidEvidenceError, RESTORE_BATCH_FAILED } from '../../src/errors.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { executionEvidence, executionRefFromArn } from '../../src/evidence/keys.ts';
import { mapConcurrently, s3Uri } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore, type EvidenceStore } from '../../src/evidence/store.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { restoreEvidence } from '../../src/restore/evidence.ts';
import { buildRestoreReport, type RestoreDigest, restoreDigestOf, restoreFailed } from '../../src/restore/report.ts';
import type {
  RestoreBatchRecord,
  RestoreItem,
  RestoreOutcome,
  RestorePlanDocument,
  RestoreReportSource,
  RestoreSummariseRequest,
} from '../../src/restore/types.ts';
import type { StatesError } from '../../src/workflow/types.ts';

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
 * evidence, `report.json` under the execution's prefix, and returns the digest. The plan and each batch's outcomes
 * are read from the evidence; a batch whose child execution left none fails its volumes with `RestoreBatchFailed`.
 */
export function createRestoreSummariseHandler({ evidence, evidenceBucket, now }: RestoreSummariseDependencies) {
  return stepHandler(async (request: RestoreSummariseRequest): Promise<RestoreSummariseResult> => {
    const report = buildRestoreReport(await reportSourceOf(evidence, evidenceBucket(), request), now());
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

/** The whole plan from the evidence and, when the volumes ran, every batch's outcomes in the plan's order. */
async function reportSourceOf(
  evidence: EvidenceStore,
  bucket: string,
  request: RestoreSummariseRequest,
): Promise<RestoreReportSource> {
  const where = restoreEvidence(bucket, request.execution.id);
  const plan = (await evidence.getJson(where.plan)) as RestorePlanDocument;
  const source: RestoreReportSource = {
    options: request.options,
    execution: request.execution,
    items: plan.items,
    notRestorable: plan.notRestorable,
    preflight: { problems: plan.problems },
    ...(request.mapFailure ? { mapFailure: request.mapFailure } : {}),
  };
  const ran = request.preflight.ok && !request.options.check;
  if (!ran) return source;
  let start = 0;
  const batches = request.batches.map((batch) => {
    const items = plan.items.slice(start, start + batch.volumes);
    start += batch.volumes;
    return { batch, items };
  });
  const records = await mapConcurrently(batches, async ({ batch, items }) => {
    const record = await recordOf(evidence, where.batchOutcomes(batch.index));
    return { batch, items, record };
  });
  const outcomes: RestoreOutcome[] = [];
  let mapFailure = source.mapFailure;
  for (const { batch, items, record } of records) {
    if (record?.mapFailure) mapFailure ??= record.mapFailure;
    if (record?.outcomes) outcomes.push(...record.outcomes);
    else outcomes.push(...items.map((item) => batchFailed(item, request, batch.index, record?.mapFailure)));
  }
  return { ...source, outcomes, ...(mapFailure ? { mapFailure } : {}) };
}

/** A batch's record, or `undefined` when its child execution wrote none. */
async function recordOf(
  evidence: EvidenceStore,
  location: Parameters<EvidenceStore['getJson']>[0],
): Promise<RestoreBatchRecord | undefined> {
  try {
    return (await evidence.getJson(location)) as RestoreBatchRecord;
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** The outcome of a volume whose batch left no account of it: failed, nothing known to be made. */
function batchFailed(
  item: RestoreItem,
  request: RestoreSummariseRequest,
  index: number,
  mapFailure: StatesError | undefined,
): RestoreOutcome {
  const cause = mapFailure
    ? `the volume Map of batch ${index} failed: ${mapFailure.Error}: ${mapFailure.Cause ?? ''}`
    : `the child execution of batch ${index} ended without recording its volumes (failed, timed out or aborted)`;
  return {
    item,
    options: request.options,
    execution: request.execution,
    failure: { Error: RESTORE_BATCH_FAILED, Cause: cause },
  };
}

export const handler = createRestoreSummariseHandler({
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
  now: Date.now,
});
