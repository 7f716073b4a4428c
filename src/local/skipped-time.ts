import type { AslState } from '../statemachine/definition.ts';
import type { SimulatedClock } from './clock.ts';
import type { EngineEvent } from './runner.ts';

/** Where a pause began: the clock's reading then, and the engine's timestamp of it (real time). */
interface PauseStart {
  clockMs: number;
  realMs: number;
}

/**
 * Moves `clock` by what a compressed execution skips, watching its engine events as they happen: a Wait state to
 * the end of the pause its definition asks for (`Seconds`, `SecondsPath`, `Timestamp`, `TimestampPath`), a retry to
 * the end of the interval it slept `speedUpOf(retrier)` times over (measured from the failure to the retry, so
 * `JitterStrategy: FULL` keeps its draw, and capped by the interval the retrier writes). Each pause is reckoned from the clock's reading when it began, so pauses
 * that overlap (a Map's iterations) move the clock once, not once each.
 *
 * The engine dispatches an event before it goes on, and the watcher reads it in the same turn of the event loop,
 * before the next state's calls leave the process: the emulator sees the moved clock.
 */
export function skippedTimeObserver(
  clock: SimulatedClock,
  states: ReadonlyMap<string, AslState>,
  speedUpOf: (retrier: { ErrorEquals: string[] }) => number,
): (event: EngineEvent) => void {
  const waits = new Map<string, number>();
  const failures = new Map<string, PauseStart>();
  return (event) => {
    if (!('state' in event)) return;
    const key = `${event.state.name}#${event.index ?? ''}`;
    switch (event.type) {
      case 'StateEntered': {
        const state = states.get(event.state.name);
        const end = state?.Type === 'Wait' ? waitEnd(state, event.state.input, clock.now()) : undefined;
        if (end !== undefined) waits.set(key, end);
        return;
      }
      case 'StateExited': {
        const end = waits.get(key);
        waits.delete(key);
        if (end !== undefined) clock.advanceTo(end);
        return;
      }
      case 'StateFailed':
        failures.set(key, { clockMs: clock.now(), realMs: event.timestamp });
        return;
      case 'StateRetried': {
        const failed = failures.get(key);
        failures.delete(key);
        if (!failed) return;
        const { retrier, attempt } = event.retry;
        const speedUp = speedUpOf(retrier);
        const sleptMs = Math.min(
          (event.timestamp - failed.realMs) * speedUp,
          retryIntervalMs(retrier, attempt) * speedUp,
        );
        clock.advanceTo(failed.clockMs + sleptMs);
        return;
      }
      default:
        return;
    }
  };
}

/** ASL's defaults for a retrier's fields it leaves out. */
const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_BACKOFF_RATE = 2;

/**
 * The interval before retry `attempt` (1 for the first) as the retrier writes it, in milliseconds: the longest a
 * jittered one may be. The measured sleep is capped by it, so the event loop's own delays are not multiplied.
 */
function retryIntervalMs(
  retrier: { IntervalSeconds?: number; BackoffRate?: number; MaxDelaySeconds?: number },
  attempt: number,
): number {
  const interval =
    (retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) *
    (retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE) ** (attempt - 1);
  return Math.min(interval, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY) * 1000;
}

/** When a Wait state entered at `now` ends on AWS, in epoch milliseconds; `undefined` when its input lacks the path. */
function waitEnd(state: AslState, input: unknown, now: number): number | undefined {
  const seconds = typeof state.SecondsPath === 'string' ? valueAt(input, state.SecondsPath) : state.Seconds;
  if (typeof seconds === 'number') return now + seconds * 1000;
  const timestamp = typeof state.TimestampPath === 'string' ? valueAt(input, state.TimestampPath) : state.Timestamp;
  const end = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  return Number.isFinite(end) ? end : undefined;
}

/** The value a reference path of plain field names (`$.options.checkIntervalSeconds`, as our Wait states use) selects. */
function valueAt(input: unknown, path: string): unknown {
  if (!path.startsWith('$')) return undefined;
  let value = input;
  for (const field of path.split('.').slice(1)) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
  }
  return value;
}
