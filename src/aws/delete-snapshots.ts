import type { EC2Client } from '@aws-sdk/client-ec2';
import type { DeleteResult } from '../retention/report.ts';
import { deleteSnapshot, deleteTaggedSnapshot, tagForDeletion } from './ec2-lifecycle.ts';

/** Deletions in flight at once within a batch. */
export const DELETE_CONCURRENCY = 5;
/**
 * Snapshots tagged for deletion by one `CreateTags` call: as many as EC2's mutating bucket (50) lets a round delete
 * before it throttles, so a round costs a few `CreateTags` instead of one per deletion, and a throttled round leaves
 * at most the rest of one slice tagged but not yet deleted (the next round tags it again and deletes it).
 */
export const TAG_SLICE = 50;

/**
 * What a failed `CreateTags` or `DeleteSnapshot` means to the caller: `throttled` (stop, go on in a later round),
 * `retry` (thrown: the round fails and the state machine retries it), or that snapshot's own result.
 */
export type DeleteOutcomeOf = (snapshotId: string, error: unknown) => DeleteResult | 'throttled' | 'retry';

/**
 * Deletes `snapshotIds` in order, each slice of {@link TAG_SLICE} tagged for deletion by one call first, then deleted
 * `DELETE_CONCURRENCY` at a time; stops at the first throttled call, so the results are those of a prefix of the list.
 * A slice whose tag EC2 refused (one of its snapshots gone, say: EC2 then tags none) is tagged and deleted snapshot by
 * snapshot, so each gets its own answer; a snapshot whose tag failed is never deleted. `outcomeOf` says what a
 * failed call means; its `retry` is thrown, for the state machine to retry the round.
 */
export async function deleteInSlices(
  ec2: EC2Client,
  snapshotIds: readonly string[],
  outcomeOf: DeleteOutcomeOf,
): Promise<{ results: DeleteResult[]; throttled: boolean }> {
  const results: DeleteResult[] = [];
  for (let i = 0; i < snapshotIds.length; i += TAG_SLICE) {
    const slice = snapshotIds.slice(i, i + TAG_SLICE);
    const tagged = await tagForDeletion(ec2, slice).then(
      () => true,
      (error: unknown) => {
        const outcome = outcomeOf(slice[0] ?? '', error);
        if (outcome === 'retry') throw error;
        return outcome === 'throttled' ? outcome : false;
      },
    );
    if (tagged === 'throttled') return { results, throttled: true };
    const remove = tagged ? deleteTaggedSnapshot : deleteSnapshot;
    for (let j = 0; j < slice.length; j += DELETE_CONCURRENCY) {
      const outcomes = await Promise.all(
        slice.slice(j, j + DELETE_CONCURRENCY).map((id) => deleteOne(ec2, id, remove, outcomeOf)),
      );
      const stop = outcomes.indexOf('throttled');
      for (const outcome of stop < 0 ? outcomes : outcomes.slice(0, stop)) results.push(outcome as DeleteResult);
      if (stop >= 0) return { results, throttled: true };
    }
  }
  return { results, throttled: false };
}

/** Deletes one snapshot with `remove`; its result, `throttled`, or a transient error thrown for the round's retry. */
async function deleteOne(
  ec2: EC2Client,
  snapshotId: string,
  remove: (ec2: EC2Client, snapshotId: string) => Promise<void>,
  outcomeOf: DeleteOutcomeOf,
): Promise<DeleteResult | 'throttled'> {
  try {
    await remove(ec2, snapshotId);
    return { snapshotId, outcome: 'deleted' };
  } catch (error) {
    const outcome = outcomeOf(snapshotId, error);
    if (outcome === 'retry') throw error;
    return outcome;
  }
}
