import { SimulatedClock } from '../../../src/local/clock.ts';
import type { EngineEvent } from '../../../src/local/runner.ts';
import { skippedTimeObserver } from '../../../src/local/skipped-time.ts';
import type { AslState } from '../../../src/statemachine/definition.ts';

const STATES = new Map<string, AslState>([
  ['Hold', { Type: 'Wait', Seconds: 10 }],
  ['HoldFor', { Type: 'Wait', SecondsPath: '$.options.seconds' }],
  ['HoldUntil', { Type: 'Wait', TimestampPath: '$.until' }],
  ['Work', { Type: 'Task' }],
]);
const RETRIER = { ErrorEquals: ['Boom'] };

/** An engine event of state `name`, as the engine dispatches it (the fields the observer reads). */
function event(type: string, name: string, rest: Record<string, unknown> = {}): EngineEvent {
  return { type, timestamp: Date.now(), state: { name, type: STATES.get(name)?.Type, input: {} }, ...rest } as never;
}

describe('SimulatedClock', () => {
  it('runs with real time until moved, and only ever forward', () => {
    // Prepare
    const clock = new SimulatedClock();

    // Act
    const before = clock.aheadMs;
    clock.advanceTo(Date.now() + 5000);
    clock.advanceTo(Date.now() + 1000);

    // Assess
    expect(before).toBe(0);
    expect(clock.aheadMs).toBeGreaterThanOrEqual(4990);
    expect(clock.aheadMs).toBeLessThanOrEqual(5000);
  });
});

describe('skippedTimeObserver', () => {
  const observe = (clock: SimulatedClock) => skippedTimeObserver(clock, STATES, () => 100);

  it("moves the clock to a Wait's end when it exits, by Seconds, SecondsPath or TimestampPath", () => {
    // Prepare
    const clock = new SimulatedClock();
    const seen = observe(clock);
    const until = new Date(Date.now() + 3_600_000).toISOString();

    // Act + Assess
    seen(event('StateEntered', 'Hold'));
    expect(clock.aheadMs).toBe(0);
    seen(event('StateExited', 'Hold'));
    expect(clock.aheadMs).toBeGreaterThan(9_900);
    seen({
      ...event('StateEntered', 'HoldFor'),
      state: { name: 'HoldFor', input: { options: { seconds: 60 } } },
    } as never);
    seen(event('StateExited', 'HoldFor'));
    expect(clock.aheadMs).toBeGreaterThan(69_800);
    seen({ ...event('StateEntered', 'HoldUntil'), state: { name: 'HoldUntil', input: { until } } } as never);
    seen(event('StateExited', 'HoldUntil'));
    expect(clock.now()).toBeGreaterThanOrEqual(Date.parse(until));
  });

  it('moves the clock once for the iterations of a Map that wait side by side', () => {
    // Prepare
    const clock = new SimulatedClock();
    const seen = observe(clock);

    // Act
    for (const index of [0, 1, 2]) seen(event('StateEntered', 'Hold', { index }));
    for (const index of [0, 1, 2]) seen(event('StateExited', 'Hold', { index }));

    // Assess
    expect(clock.aheadMs).toBeGreaterThan(9_900);
    expect(clock.aheadMs).toBeLessThanOrEqual(10_000);
  });

  it('moves the clock once for iterations started together, however their compressed waits fall in real time', () => {
    // Prepare
    const clock = new SimulatedClock();
    const seen = observe(clock);
    const started = (index: number) =>
      ({ type: 'MapIterationStarted', timestamp: Date.now(), index, parentState: { name: 'Each' } }) as never;

    // Act: the second iteration reaches its Wait only after the first one's ended.
    seen(started(0));
    seen(started(1));
    seen(event('StateEntered', 'Hold', { index: 0 }));
    seen(event('StateExited', 'Hold', { index: 0 }));
    seen(event('StateEntered', 'Hold', { index: 1 }));
    seen(event('StateExited', 'Hold', { index: 1 }));
    const together = clock.aheadMs;
    seen(event('StateEntered', 'Hold', { index: 1 }));
    seen(event('StateExited', 'Hold', { index: 1 }));

    // Assess: side by side once; one after the other in a branch, twice.
    expect(together).toBeGreaterThan(9_900);
    expect(together).toBeLessThanOrEqual(10_050);
    expect(clock.aheadMs).toBeGreaterThan(19_800);
  });

  it('moves the clock by the retry interval it slept, times the speed-up, and not for a Task that only ran', () => {
    // Prepare
    const clock = new SimulatedClock();
    const seen = observe(clock);
    const failedAt = Date.now();

    // Act
    seen(event('StateEntered', 'Work'));
    seen(event('StateExited', 'Work'));
    const ranOnly = clock.aheadMs;
    seen(event('StateFailed', 'Work', { timestamp: failedAt }));
    seen(event('StateRetried', 'Work', { timestamp: failedAt + 20, retry: { retrier: RETRIER, attempt: 1 } }));

    // Assess: 20 ms slept at 100 times faster stand for 2 s.
    expect(ranOnly).toBe(0);
    expect(clock.aheadMs).toBeGreaterThan(1_950);
    expect(clock.aheadMs).toBeLessThanOrEqual(2_000);
  });
});
