import type { RetentionPolicy } from '../input/schema.ts';
import { planRetention } from '../retention/policy.ts';
import type { CopyItem, CopyRetentionProgress } from './types.ts';

/** The most copies one round deletes: at EC2's mutating rate (5 a second) well inside the function's time-out. */
export const COPY_RETENTION_BATCH = 250;

/** A copy of ours in the destination, as retention weighs it. */
export interface CopyCandidate {
  snapshotId: string;
  volumeArn: string;
  recoveryPointTime: string;
  state: string;
  legalHold?: true;
}

/**
 * Retention of one destination's copies: the source's policy (`planRetention`, restic's `forget` per volume, with its
 * safety rules) over every copy of ours in the destination of the book's volumes; this run's copies are its manifest's
 * and are never deleted. Pure: the listing in, the plan's deletions out.
 */
export function planCopyRetention(
  copies: readonly CopyCandidate[],
  items: readonly CopyItem[],
  policy: RetentionPolicy,
  now: number,
): CopyRetentionProgress {
  const volumes = new Set(items.map((i) => i.volumeArn));
  const inRun = new Set(items.flatMap((i) => (i.copySnapshotId ? [i.copySnapshotId] : [])));
  const decisions = planRetention(
    copies.map((c) => ({
      snapshotId: c.snapshotId,
      volumeArn: c.volumeArn,
      recoveryPointTime: c.recoveryPointTime,
      state: c.state,
      legalHold: c.legalHold === true,
    })),
    policy,
    { now, inRunManifest: inRun, inScope: (volumeArn) => volumes.has(volumeArn), existingVolumes: volumes },
  );
  const deletions = decisions.filter((d) => d.action === 'delete').map((d) => d.snapshotId);
  return { deletions, kept: decisions.length - deletions.length, cursor: 0, deleted: 0, failed: [] };
}
