import { SNAPSHOT_ERROR, SNAPSHOT_NOT_COMPLETED } from '../errors.ts';
import { countsAsSnapshot } from '../snapshot/state.ts';
import type { StatesError } from '../workflow/types.ts';
import { readableCause } from './cause.ts';
import type { GatewayReport, ReportSnapshot } from './gateway-report.ts';

/** A snapshot's state as EC2 last described it. */
export interface SnapshotState {
  snapshotId: string;
  state: string;
  progress: string;
}

export interface CompletionCheck {
  gateway: GatewayReport;
  /** Snapshots not yet `completed` or `error`. */
  pending: number;
  /** Snapshots `completed`, this poll or before. */
  completed: number;
  /** Snapshots that became failures at this poll (ended in `error`, or pending at the time-out), by their status. */
  failed: { created: number; existing: number };
  /** The lowest progress, in percent, of the snapshots still pending; `undefined` when none is or EC2 gave none. */
  lowestPendingProgress: number | undefined;
  /** Whether anything in the gateway's account changed (only then is its evidence rewritten). */
  changed: boolean;
}

/** The IDs of the gateway's snapshots whose state is not final yet. */
export function unsettledSnapshotIds(gateway: GatewayReport): string[] {
  return gateway.snapshots.flatMap((s) => (s.snapshotId && s.state !== 'completed' ? [s.snapshotId] : []));
}

/**
 * Applies EC2's states to a gateway's snapshots: `error` ones become failures and, once `timedOut`, so do the ones
 * still pending; a failed snapshot keeps its ID and last state in the failure. A snapshot EC2 did not describe
 * (not visible yet) keeps its last known state.
 */
export function applySnapshotStates(
  gateway: GatewayReport,
  states: ReadonlyMap<string, SnapshotState>,
  timedOut: boolean,
): CompletionCheck {
  let pending = 0;
  let completed = 0;
  let changed = false;
  const failed = { created: 0, existing: 0 };
  const pendingProgress: number[] = [];
  const snapshots: ReportSnapshot[] = [];
  const failures = [...gateway.failures];
  for (const snapshot of gateway.snapshots) {
    if (!snapshot.snapshotId || snapshot.state === 'completed') {
      if (snapshot.snapshotId) completed += 1;
      snapshots.push(snapshot);
      continue;
    }
    const current = states.get(snapshot.snapshotId);
    const state = current?.state ?? snapshot.state ?? 'pending';
    const progress = current?.progress ?? snapshot.progress ?? '';
    if (state !== snapshot.state || progress !== snapshot.progress) changed = true;
    const updated = { ...snapshot, state, progress };
    if (state === 'completed') {
      completed += 1;
      snapshots.push(updated);
    } else if (!countsAsSnapshot({ state })) {
      changed = true;
      failed[snapshot.status === 'existing' ? 'existing' : 'created'] += 1;
      failures.push(failureOf(updated, SNAPSHOT_ERROR, 'snapshot ended in error', state));
    } else if (timedOut) {
      changed = true;
      failed[snapshot.status === 'existing' ? 'existing' : 'created'] += 1;
      failures.push(
        failureOf(updated, SNAPSHOT_NOT_COMPLETED, 'snapshot still pending when the wait timed out', state),
      );
    } else {
      pending += 1;
      const percent = Number.parseFloat(progress);
      if (Number.isFinite(percent)) pendingProgress.push(percent);
      snapshots.push(updated);
    }
  }
  return {
    gateway: changed ? { ...gateway, snapshots, failures } : gateway,
    pending,
    completed,
    failed,
    lowestPendingProgress: pendingProgress.length ? Math.min(...pendingProgress) : undefined,
    changed,
  };
}

/**
 * The wait for completion failed for good (EC2 could not be asked): every snapshot not known to be completed
 * becomes a failure carrying that error, its ID and its last known state.
 */
export function abandonWait(gateway: GatewayReport, error: StatesError): GatewayReport {
  const unsettled = new Set(unsettledSnapshotIds(gateway));
  if (!unsettled.size) return gateway;
  const cause = `completion could not be checked: ${readableCause(error.Cause) || error.Error}`;
  return {
    ...gateway,
    snapshots: gateway.snapshots.filter((s) => !s.snapshotId || !unsettled.has(s.snapshotId)),
    failures: [
      ...gateway.failures,
      ...gateway.snapshots
        .filter((s) => s.snapshotId && unsettled.has(s.snapshotId))
        .map((s) => failureOf(s, error.Error, cause, s.state ?? 'unknown')),
    ],
  };
}

function failureOf(snapshot: ReportSnapshot, error: string, cause: string, state: string) {
  const { gatewayArn, volumeArn, recoveryPointTime, sizeBytes, snapshotId } = snapshot;
  return {
    gatewayArn,
    volumeArn,
    recoveryPointTime,
    sizeBytes,
    error,
    cause,
    ...(snapshotId ? { snapshotId } : {}),
    state,
  };
}
