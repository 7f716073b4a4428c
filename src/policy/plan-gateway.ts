import { countsAsSnapshot } from '../snapshot/state.ts';
import type { KnownSnapshot, ListResult, RecoveryPoint } from '../workflow/types.ts';
import { type DecisionContext, decide, isExcluded, parseRecoveryPointTime, recoveryPointKey } from './decide.ts';

/** What planning a gateway needs besides its points. */
export interface GatewayPlanContext extends Omit<DecisionContext, 'alreadySnapshotted'> {
  /** This tool's snapshots of the gateway's volumes, in any state (EC2's answer to one tag query). */
  snapshots: readonly KnownSnapshot[];
}

/**
 * Sorts every recovery point of a gateway into selected, skipped or failed (none is left out), and names,
 * per volume in scope, the newest usable snapshot earlier runs made.
 */
export function planGateway(
  points: readonly RecoveryPoint[],
  { snapshots, ...context }: GatewayPlanContext,
): ListResult {
  const usable = snapshots.filter(countsAsSnapshot);
  const byPoint = new Map(usable.map((s) => [recoveryPointKey(s.volumeArn, s.recoveryPointTime), s]));
  const result: ListResult = {
    recoveryPoints: points.length,
    selected: [],
    skipped: [],
    failures: [],
    earlierSnapshots: newestPerVolume(usable.filter((s) => !isExcluded(s.volumeArn, context.options))),
  };
  for (const point of points) {
    const { volumeArn, recoveryPointTime, sizeBytes } = point;
    const decision = decide(point, { ...context, alreadySnapshotted: byPoint });
    if (decision.action === 'snapshot') {
      result.selected.push({ volumeArn, recoveryPointTime, sizeBytes });
    } else if (decision.action === 'skip') {
      const holder =
        decision.reason === 'already-snapshotted'
          ? byPoint.get(recoveryPointKey(volumeArn, recoveryPointTime))
          : undefined;
      result.skipped.push({
        volumeArn,
        recoveryPointTime,
        sizeBytes,
        reason: decision.reason,
        ...(holder ? { snapshotId: holder.snapshotId } : {}),
      });
    } else {
      result.failures.push({ volumeArn, recoveryPointTime, sizeBytes, error: decision.error, cause: decision.cause });
    }
  }
  return result;
}

/** The snapshot of each volume with the latest recovery point (the first one given wins a tie). */
export function newestPerVolume<T extends Pick<KnownSnapshot, 'volumeArn' | 'recoveryPointTime'>>(
  snapshots: readonly T[],
): T[] {
  const newest = new Map<string, T>();
  for (const snapshot of snapshots) {
    const held = newest.get(snapshot.volumeArn);
    if (!held || pointTime(snapshot) > pointTime(held)) newest.set(snapshot.volumeArn, snapshot);
  }
  return [...newest.values()];
}

function pointTime(snapshot: Pick<KnownSnapshot, 'recoveryPointTime'>): number {
  return parseRecoveryPointTime(snapshot.recoveryPointTime) ?? Number.NEGATIVE_INFINITY;
}
