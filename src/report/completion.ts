import { SNAPSHOT_ERROR, SNAPSHOT_NOT_COMPLETED } from '../errors.ts';
import { type GatewayResult, volumeIdOf } from './gateway-result.ts';

export interface SnapshotState {
  snapshotId: string;
  volumeArn: string;
  state: string;
  progress: string;
}

export interface CompletionCheck {
  gateways: GatewayResult[];
  /** Snapshots not yet `completed` or `error`. */
  pending: number;
}

const FINAL_STATES = new Set(['completed', 'error']);

/**
 * Applies the snapshots' states to the gateways' results: `error` snapshots become failures and,
 * once `timedOut`, so do the ones still pending. Snapshots whose detail was cut to fit the payload
 * limit are still counted, from the gateway ARN inside their volume ARN.
 */
export function applySnapshotStates(
  gateways: readonly GatewayResult[],
  states: readonly SnapshotState[],
  timedOut: boolean,
): CompletionCheck {
  const byId = new Map(states.map((s) => [s.snapshotId, s]));
  let pending = 0;
  const updated = gateways.map((gateway) => {
    const result: GatewayResult = {
      ...gateway,
      counts: { ...gateway.counts },
      failures: gateway.failures.map((f) => ({ ...f, volumeIds: [...f.volumeIds] })),
      snapshots: [],
    };
    const fail = (error: string, snapshotId: string, volumeId: string, status: string) => {
      const cause =
        error === SNAPSHOT_ERROR ? `snapshot ended in error` : `snapshot still pending when the wait timed out`;
      let group = result.failures.find((f) => f.error === error && f.cause === cause);
      if (!group) {
        group = { error, cause, volumeIds: [] };
        result.failures.push(group);
      }
      group.volumeIds.push(volumeId);
      result.counts.failed += 1;
      if (status === 'created') result.counts.created -= 1;
      else if (status === 'existing') result.counts.existing -= 1;
      return snapshotId;
    };
    const seen = new Set<string>();
    for (const snapshot of gateway.snapshots) {
      const current = snapshot.snapshotId ? byId.get(snapshot.snapshotId) : undefined;
      if (snapshot.snapshotId) seen.add(snapshot.snapshotId);
      const state = current?.state ?? snapshot.state;
      if (!snapshot.snapshotId || state === 'completed') {
        result.snapshots.push(current ? { ...snapshot, state: current.state, progress: current.progress } : snapshot);
      } else if (state === 'error' || timedOut) {
        fail(
          state === 'error' ? SNAPSHOT_ERROR : SNAPSHOT_NOT_COMPLETED,
          snapshot.snapshotId,
          snapshot.volumeId,
          snapshot.status,
        );
      } else {
        pending += 1;
        result.snapshots.push({ ...snapshot, state: state ?? 'pending', progress: current?.progress ?? '' });
      }
    }
    // Snapshots of this gateway known only by their tags (their detail was cut): counted all the same.
    const alreadyFailed = new Set(result.failures.flatMap((f) => f.volumeIds));
    for (const s of states) {
      if (seen.has(s.snapshotId) || !s.volumeArn.startsWith(`${gateway.gatewayArn}/`)) continue;
      if (alreadyFailed.has(volumeIdOf(s.volumeArn))) continue;
      if (s.state === 'error' || (timedOut && !FINAL_STATES.has(s.state))) {
        fail(
          s.state === 'error' ? SNAPSHOT_ERROR : SNAPSHOT_NOT_COMPLETED,
          s.snapshotId,
          volumeIdOf(s.volumeArn),
          'created',
        );
      } else if (!FINAL_STATES.has(s.state)) {
        pending += 1;
      }
    }
    return result;
  });
  return { gateways: updated, pending };
}
