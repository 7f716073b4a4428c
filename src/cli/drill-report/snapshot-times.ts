import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { stateReaderOf, type WorkflowDescriptor } from '../../workflow/descriptor.ts';

/**
 * When each snapshot was made, as the history shows it: the time the Task that created it exited
 * (the call returned then, so the snapshot exists by that time), as the workflow's descriptor tells
 * which exits created what. Snapshot ID → time.
 */
export function snapshotTimesFrom(
  events: readonly HistoryEvent[],
  workflow: Pick<WorkflowDescriptor, 'states'>,
): Map<string, Date> {
  const times = new Map<string, Date>();
  for (const event of events) {
    const exited = event.stateExitedEventDetails;
    if (event.type !== 'TaskStateExited' || !exited?.name || !exited.output || !event.timestamp) continue;
    const created = stateReaderOf(workflow, exited.name)?.created;
    if (!created) continue;
    let output: unknown;
    try {
      output = JSON.parse(exited.output);
    } catch {
      // An output cut by the history's size limit: that snapshot's time stays unknown.
      continue;
    }
    const id = created(output);
    if (id !== undefined) times.set(id, event.timestamp);
  }
  return times;
}
