import type { AslState } from '../statemachine/definition.ts';
import type { SimulatedClock } from './clock.ts';
import type { EngineEvent } from './runner.ts';

/** Where a retried failure happened: its branch's time then, and the engine's timestamp of it (real time). */
interface PauseStart {
  virtualMs: number;
  realMs: number;
}

/**
 * Moves `clock` by what a compressed execution skips, watching its engine events as they happen: a Wait state to
 * the end of the pause its definition asks for (`Seconds`, `SecondsPath`, `Timestamp`, `TimestampPath`), a retry to
 * the end of the interval it slept `speedUpOf(retrier)` times over (measured from the failure to the retry, so
 * `JitterStrategy: FULL` keeps its draw, and capped by the interval the retrier writes).
 *
 * Each branch of the execution (its top level, and each iteration of an inline Map) keeps its own time: real time
 * plus what its own pauses skipped, from the clock's reading when the branch began. A pause ends at its branch's
 * time plus the pause, and moves the clock there unless it is further on. So branches that pause side by side (a
 * Map's iterations, a Distributed Map's children, each with an observer of its own) move the clock once, as their
 * pauses would overlap on AWS, however their compressed pauses happen to fall in real time; pauses one after the
 * other in a branch add up.
 *
 * The engine dispatches an event before it goes on, and the watcher reads it in the same turn of the event loop,
 * before the next state's calls leave the process: the emulator sees the moved clock.
 */
export function skippedTimeObserver(
  clock: SimulatedClock,
  states: ReadonlyMap<string, AslState>,
  speedUpOf: (retrier: { ErrorEquals: string[] }) => number,
): (event: EngineEvent) => void {
  const branches = new Map<string, number>();
  const waits = new Map<string, number>();
  const failures = new Map<string, PauseStart>();
  return (event) => {
    // An iteration begins at the clock's time when the Map starts it, whatever an earlier one of that index did.
    if (event.type === 'MapIterationStarted') branches.set(String(event.index), clock.aheadMs);
    if (!('state' in event)) return;
    const branch = String(event.index ?? '');
    const key = `${event.state.name}#${branch}`;
    const ahead = branches.get(branch) ?? clock.aheadMs;
    branches.set(branch, ahead);
    // The branch's time at `realMs`; a pause ending at `endMs` of it puts the branch and the clock there.
    const at = (realMs: number) => realMs + ahead;
    const resume = (endMs: number, realMs: number) => {
      branches.set(branch, Math.max(ahead, endMs - realMs));
      clock.advanceTo(endMs);
    };
    switch (event.type) {
      case 'StateEntered': {
        const state = states.get(event.state.name);
        const end = state?.Type === 'Wait' ? waitEnd(state, event.state.input, at(event.timestamp)) : undefined;
        if (end !== undefined) waits.set(key, end);
        return;
      }
      case 'StateExited': {
        const end = waits.get(key);
        waits.delete(key);
        if (end !== undefined) resume(end, event.timestamp);
        return;
      }
      case 'StateFailed':
        failures.set(key, { virtualMs: at(event.timestamp), realMs: event.timestamp });
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
        resume(failed.virtualMs + sleptMs, event.timestamp);
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
