/** The EC2 state of a snapshot that failed: it holds no data. */
export const FAILED_SNAPSHOT_STATE = 'error';

/**
 * Whether one of our snapshots counts as its recovery point's snapshot. A failed one does not: it
 * neither makes a point `already-snapshotted` nor stops a new snapshot of the point from being made.
 */
export function countsAsSnapshot(snapshot: { state: string }): boolean {
  return snapshot.state !== FAILED_SNAPSHOT_STATE;
}
