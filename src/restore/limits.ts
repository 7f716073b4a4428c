import { InvalidInputError } from '../errors.ts';
import { completionChecks } from '../input/limits.ts';

/** The history events an execution holds (Step Functions quota). */
export const MAX_HISTORY_EVENTS = 25_000;
/**
 * The events one poll of one volume writes: `WaitBeforeCheck` (2), the `CheckRestoredVolume` Task (5) and
 * `VolumeUsable` (2).
 */
export const EVENTS_PER_CHECK = 9;
/** The events of one volume besides its polls: create, cleanup, the iteration's own (with room for retries). */
export const EVENTS_PER_VOLUME = 30;
/** The events of the execution besides its volumes. */
const EVENTS_OUTSIDE_VOLUMES = 100;

/** The most history events a restore of `volumes` volumes may write when each waits out the whole time-out. */
export function restoreHistoryEvents(
  volumes: number,
  waitTimeoutMinutes: number,
  checkIntervalSeconds: number,
): number {
  const checks = completionChecks(waitTimeoutMinutes, checkIntervalSeconds);
  return EVENTS_OUTSIDE_VOLUMES + volumes * (EVENTS_PER_VOLUME + checks * EVENTS_PER_CHECK);
}

/**
 * Refuses, before anything is created, polls that could outgrow an execution's history for `volumes` volumes (a
 * restore's batch; `PlanRestore` asks for one, the smallest batch): the time-out must end the wait, not
 * `States.Runtime` at 25,000 events.
 * @throws InvalidInputError naming `checkIntervalSeconds`
 */
export function checkRestoreHistory(volumes: number, waitTimeoutMinutes: number, checkIntervalSeconds: number): void {
  const events = restoreHistoryEvents(volumes, waitTimeoutMinutes, checkIntervalSeconds);
  if (events <= MAX_HISTORY_EVENTS) return;
  throw new InvalidInputError(
    'checkIntervalSeconds',
    `checkIntervalSeconds: ${volumes} volumes polled every ${checkIntervalSeconds} s for up to ${waitTimeoutMinutes} minutes ` +
      `could write ${events} history events, more than the ${MAX_HISTORY_EVENTS} an execution (each batch of a restore is ` +
      'one) holds: poll less often, or wait less long (waitTimeoutMinutes)',
  );
}
