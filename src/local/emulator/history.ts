import { executionTagValue, SNAPSHOT_TAG } from '../../snapshot/tags.ts';
import type { FleetState, SnapshotHistory } from './state.ts';

const HOUR_MS = 3_600_000;
/** The execution a seeded history claims to come from: earlier runs of the tool. */
export const SEEDED_HISTORY_EXECUTION =
  'arn:aws:states:us-east-1:111122223333:execution:sgw-recovery-snapshots:history';

/**
 * Gives every volume of every cached gateway the snapshots earlier runs of this tool would have left: one every
 * `everyHours` for `days` days before `now`, each completed and tagged as the create step tags it. The newest is
 * one interval old, so a run at `now` makes the next.
 */
export function seedHistory(state: FleetState, history: SnapshotHistory, now: number): void {
  const count = Math.floor((history.days * 24) / history.everyHours);
  const execution = executionTagValue(SEEDED_HISTORY_EXECUTION);
  for (const gateway of state.gateways) {
    if (gateway.type !== 'CACHED') continue;
    for (const volume of gateway.volumes) {
      for (let i = count; i >= 1; i -= 1) {
        const madeAt = now - i * history.everyHours * HOUR_MS;
        const recoveryPointTime = new Date(madeAt).toISOString();
        state.seedSnapshot(
          volume,
          recoveryPointTime,
          `Recovery point ${recoveryPointTime} of ${volume.id} on ${gateway.id} (seeded history)`,
          [
            { Key: SNAPSHOT_TAG.gatewayArn, Value: gateway.arn },
            { Key: SNAPSHOT_TAG.volumeArn, Value: volume.arn },
            { Key: SNAPSHOT_TAG.recoveryPointTime, Value: recoveryPointTime },
            { Key: SNAPSHOT_TAG.execution, Value: execution },
          ],
          madeAt,
        );
      }
    }
  }
}
