import { SimulatedClock } from '../../../src/local/clock.ts';
import {
  DATA_LIMIT_EXCEEDED,
  HISTORY_LIMIT_EXCEEDED,
  MAX_HISTORY_EVENTS,
  MAX_PAYLOAD_BYTES,
} from '../../../src/local/execution-limits.ts';
import { startLocalExecution } from '../../../src/local/runner.ts';
import type { AslDefinition } from '../../../src/statemachine/definition.ts';
import type { StepHandler } from '../../../src/workflow/descriptor.ts';

// A workflow of one Wait state: the runner needs no more of a descriptor than where its ASL is and its name.
const WAITING = {
  workflow: { definitionUrl: new URL('file:///not-read.asl.json'), defaultStateMachineName: 'waiting' },
  handlers: {},
  input: {},
  realTime: true,
};

function waitFor(seconds: number, timeoutSeconds?: number): AslDefinition {
  return {
    StartAt: 'Hold',
    States: { Hold: { Type: 'Wait', Seconds: seconds, End: true } },
    ...(timeoutSeconds === undefined ? {} : { TimeoutSeconds: timeoutSeconds }),
  };
}

describe('startLocalExecution', () => {
  it('names the execution after the workflow’s state machine and ends ABORTED when aborted', async () => {
    // Prepare
    const execution = startLocalExecution({ ...WAITING, name: 'held', definition: waitFor(60) });

    // Act
    execution.abort();
    const result = await execution.result;

    // Assess
    expect(execution.executionArn).toBe('arn:aws:states:us-east-1:111122223333:execution:waiting:held');
    expect(result).toMatchObject({ status: 'ABORTED' });
    expect(result.error).toBeUndefined();
  });

  it('ends TIMED_OUT with States.Timeout when the state machine’s TimeoutSeconds pass', async () => {
    // Prepare
    const execution = startLocalExecution({ ...WAITING, definition: waitFor(60, 1) });

    // Act
    const result = await execution.result;

    // Assess
    expect(result).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });
});

/** A workflow of Tasks handled by `handlers`, keyed by the function keys its ASL names. */
function workflowOf(definition: AslDefinition, handlers: Record<string, StepHandler>) {
  return { ...WAITING, realTime: false, definition, handlers };
}
const task = (functionKey: string, rest: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: { 'Fn::GetAtt': [functionKey, 'Arn'] },
  ...rest,
});
/** Fails for the items it is told to, echoes the others. */
const failFor =
  (failing: readonly number[]): StepHandler =>
  async (item) => {
    if (failing.includes(item as number)) throw Object.assign(new Error(`item ${String(item)}`), { name: 'Boom' });
    return item;
  };

/** A Distributed Map over `$.items` whose child runs `work`, with the given thresholds and a Catch to `$.failure`. */
function distributedMap(thresholds: Record<string, number>): AslDefinition {
  return {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Work',
          States: { Work: task('work', { End: true }) },
        },
        ...thresholds,
        ResultPath: '$.results',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Done' }],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  };
}

describe('startLocalExecution keeps what AWS enforces', () => {
  describe('a DISTRIBUTED Map', () => {
    it('runs each item as a child execution whose failure counts against the tolerated threshold', async () => {
      // Act
      const run = await startLocalExecution({
        ...workflowOf(distributedMap({ ToleratedFailurePercentage: 50 }), { work: failFor([2]) }),
        input: { items: [1, 2, 3, 4] },
      }).result;

      // Assess
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output).toEqual({ items: [1, 2, 3, 4], results: [1, null, 3, 4] });
    });

    it.each<[string, Record<string, number>, number[]]>([
      ['no threshold and one failed child', {}, [3]],
      ['a count of 1 and two failed children', { ToleratedFailureCount: 1 }, [1, 4]],
      ['25 % and two failed children of four', { ToleratedFailurePercentage: 25 }, [2, 3]],
    ])('fails with States.ExceedToleratedFailureThreshold at %s', async (_case, thresholds, failing) => {
      // Act
      const run = await startLocalExecution({
        ...workflowOf(distributedMap(thresholds), { work: failFor(failing) }),
        input: { items: [1, 2, 3, 4] },
      }).result;

      // Assess
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output).toMatchObject({ failure: { Error: 'States.ExceedToleratedFailureThreshold' } });
      expect((run.output as { failure: { Cause: string } }).failure.Cause).toContain('Boom');
    });

    it("keeps its children's events out of the execution's history", async () => {
      // Act
      const counts = await Promise.all(
        [2, 40].map(async (items) => {
          const run = await startLocalExecution({
            ...workflowOf(distributedMap({}), { work: failFor([]) }),
            input: { items: Array.from({ length: items }, (_, i) => i) },
          }).result;
          return run.historyEventCount;
        }),
      );

      // Assess: ExecutionStarted, MapStateEntered, MapStateStarted, MapStateSucceeded, MapStateExited,
      // SucceedStateEntered, SucceedStateExited, ExecutionSucceeded.
      expect(counts).toEqual([8, 8]);
    });
  });

  it(`fails an execution whose history reaches ${MAX_HISTORY_EVENTS} events, as AWS does`, async () => {
    // Prepare: a Pass and a Choice in a loop that never ends, two events each.
    const loop: AslDefinition = {
      StartAt: 'Ping',
      States: {
        Ping: { Type: 'Pass', Next: 'Again' },
        Again: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Ping' },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const run = await startLocalExecution({ ...workflowOf(loop, {}), input: {} }).result;

    // Assess
    expect(run).toMatchObject({ status: 'FAILED', error: HISTORY_LIMIT_EXCEEDED });
    expect(run.cause).toContain(String(MAX_HISTORY_EVENTS));
    expect(run.historyEventCount).toBe(MAX_HISTORY_EVENTS);
  });

  it.each([
    ['output', async () => 'x'.repeat(MAX_PAYLOAD_BYTES)],
    ['input', async () => 'small'],
  ])('fails with States.DataLimitExceeded, past any Catch, when a Task %s passes 256 KiB', async (what, handler) => {
    // Prepare
    const definition: AslDefinition = {
      StartAt: 'Big',
      States: {
        Big: task('big', {
          ...(what === 'input' && { Parameters: { 'padding.$': '$.padding' } }),
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        }),
        Caught: { Type: 'Succeed' },
      },
    };

    // Act
    const run = await startLocalExecution({
      ...workflowOf(definition, { big: handler }),
      input: { padding: what === 'input' ? 'x'.repeat(MAX_PAYLOAD_BYTES) : '' },
    }).result;

    // Assess
    expect(run).toMatchObject({ status: 'FAILED', error: DATA_LIMIT_EXCEEDED });
    expect(run.cause).toContain(`${what === 'input' ? 'input' : 'result'} of state 'Big'`);
  });

  it('keeps the real retry interval with realTime and compresses it without', async () => {
    // Prepare: a Task that fails once, retried after 60 s.
    const definition: AslDefinition = {
      StartAt: 'Flaky',
      States: { Flaky: task('flaky', { Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 60 }], End: true }) },
    };
    const start = (realTime: boolean) => {
      let attempts = 0;
      const execution = startLocalExecution({
        ...workflowOf(definition, {
          flaky: async () => {
            attempts += 1;
            if (attempts === 1) throw Object.assign(new Error('once'), { name: 'Boom' });
            return 'done';
          },
        }),
        realTime,
        input: {},
      });
      return { execution, attempts: () => attempts };
    };

    // Act
    const compressed = start(false);
    const real = start(true);
    const compressedRun = await compressed.execution.result;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const realAttempts = real.attempts();
    real.execution.abort();

    // Assess: 60 s compressed is 600 ms; with realTime the retry has not come yet.
    expect(compressedRun).toMatchObject({ status: 'SUCCEEDED', output: 'done' });
    expect(compressed.attempts()).toBe(2);
    expect(realAttempts).toBe(1);
    expect(await real.execution.result).toMatchObject({ status: 'ABORTED' });
  });
});

describe('startLocalExecution on a simulated clock', () => {
  /** In a Map over `$.items`: a Task retried on `Boom`, then a Wait of `$.seconds`. */
  const waitingAfterRetries = (): AslDefinition => ({
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          StartAt: 'Work',
          States: {
            Work: task('work', {
              Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3 }],
              Next: 'Hold',
            }),
            Hold: { Type: 'Wait', SecondsPath: '$.seconds', End: true },
          },
        },
        ItemSelector: { 'seconds.$': '$.seconds' },
        End: true,
      },
    },
  });
  /** Fails twice per item with `Boom`, then succeeds. */
  const failingTwice = (): StepHandler => {
    let calls = 0;
    return async (input) => {
      calls += 1;
      if (calls <= 4) throw Object.assign(new Error('transient'), { name: 'Boom' });
      return input;
    };
  };

  it('moves the clock by the Wait and retry intervals it compresses, once for iterations that wait side by side', async () => {
    // Prepare
    const clock = new SimulatedClock();
    const started = Date.now();

    // Act
    const result = await startLocalExecution({
      ...workflowOf(waitingAfterRetries(), { work: failingTwice() }),
      input: { items: [1, 2], seconds: 30 },
      clock,
    }).result;

    // Assess: 30 s of Wait and up to 1 + 2 s of retries (jittered or not) skipped, not twice that for two items.
    const realMs = Date.now() - started;
    expect(result.status).toBe('SUCCEEDED');
    expect(clock.aheadMs).toBeGreaterThanOrEqual(30_000 - realMs);
    expect(clock.aheadMs).toBeLessThanOrEqual(33_000);
    expect(clock.now() - Date.now()).toBe(clock.aheadMs);
  });

  it('leaves the clock alone in real time', async () => {
    // Prepare
    const clock = new SimulatedClock();

    // Act
    const result = await startLocalExecution({ ...WAITING, definition: waitFor(0), clock }).result;

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(clock.aheadMs).toBe(0);
  });
});
