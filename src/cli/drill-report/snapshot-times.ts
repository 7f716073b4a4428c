import type { HistoryEvent } from '@aws-sdk/client-sfn';

/**
 * When each snapshot was made, as the history shows it: the time `CreateSnapshot` exited with the
 * snapshot's ID (the call returned then, so the snapshot exists by that time). Snapshot ID → time.
 */
export function snapshotTimesFrom(events: readonly HistoryEvent[]): Map<string, Date> {
  const times = new Map<string, Date>();
  for (const event of events) {
    const exited = event.stateExitedEventDetails;
    if (event.type !== 'TaskStateExited' || exited?.name !== 'CreateSnapshot' || !exited.output || !event.timestamp)
      continue;
    try {
      const output = JSON.parse(exited.output) as { snapshotId?: unknown; status?: unknown };
      if (typeof output.snapshotId === 'string' && output.status === 'created')
        times.set(output.snapshotId, event.timestamp);
    } catch {
      // An output cut by the history's size limit: that snapshot's time stays unknown.
    }
  }
  return times;
}
