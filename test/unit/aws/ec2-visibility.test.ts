import {
  backOffUntilVisible,
  EC2_VISIBILITY_BOUND_MS,
  EC2_VISIBILITY_DELAYS_MS,
  orNotFound,
} from '../../../src/aws/ec2-visibility.ts';
import { allStates, loadDefinition } from '../../../src/statemachine/definition.ts';
import { restoreWorkflow } from '../../../src/workflow/restore.ts';
import { snapshotWorkflow } from '../../../src/workflow/snapshot.ts';

const notFound = () =>
  Object.assign(new Error("The snapshot 'snap-1' does not exist."), { name: 'InvalidSnapshot.NotFound' });

/** A sleep that records what it was asked to wait and does not wait. */
function recordingSleep() {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

describe('waiting for EC2 to show a snapshot just made', () => {
  it('tries again after each backoff until the answer shows it, and waits no more', async () => {
    // Prepare: EC2 shows the snapshot on the third try.
    const { waits, sleep } = recordingSleep();
    let tries = 0;
    const attempt = async () => ++tries;

    // Act
    const answer = await backOffUntilVisible(await attempt(), attempt, (n) => n >= 3, { sleep });

    // Assess
    expect({ answer, tries, waits }).toEqual({ answer: 3, tries: 3, waits: EC2_VISIBILITY_DELAYS_MS.slice(0, 2) });
  });

  it('answers the last try once the backoff is spent, for the caller to report', async () => {
    const { waits, sleep } = recordingSleep();
    const attempt = () => orNotFound(() => Promise.reject(notFound()));

    const answer = await backOffUntilVisible(await attempt(), attempt, (result) => !(result instanceof Error), {
      sleep,
    });

    expect(answer).toMatchObject({ name: 'InvalidSnapshot.NotFound' });
    expect(waits).toEqual(EC2_VISIBILITY_DELAYS_MS);
    // The unified schedule starts at 0.25 s (retention's own started at 2 s) and reaches EC2's "couple of seconds".
    expect(EC2_VISIBILITY_DELAYS_MS.at(-1)).toBeGreaterThanOrEqual(2000);
  });

  it('waits before its first look when the caller has no answer yet', async () => {
    const { waits, sleep } = recordingSleep();

    const seen = await backOffUntilVisible(
      false,
      async () => true,
      (found) => found,
      { sleep },
    );

    expect({ seen, waits }).toEqual({ seen: true, waits: EC2_VISIBILITY_DELAYS_MS.slice(0, 1) });
  });

  it('throws any error but InvalidSnapshot.NotFound at once', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'RequestLimitExceeded' });

    await expect(orNotFound(() => Promise.reject(throttled))).rejects.toBe(throttled);
    await expect(orNotFound(async () => 'locked')).resolves.toBe('locked');
  });

  it('is bounded: twice the whole backoff fits in the time-out of every Task that waits for EC2', () => {
    // Prepare: the create waits at most twice in one invocation; the others once.
    const waiting = new Map([
      ['CreateSnapshot', 2],
      ['ApplyRetention', 2],
      ['SummariseGateway', 1],
      ['PlanRestore', 1],
    ]);
    const states = new Map([
      ...allStates(loadDefinition(snapshotWorkflow.definitionUrl)),
      ...allStates(loadDefinition(restoreWorkflow.definitionUrl)),
    ]);

    // Act
    const spare = [...waiting].map(([name, times]) => {
      const timeoutMs = Number(states.get(name)?.TimeoutSeconds) * 1000;
      return { name, spareMs: timeoutMs - times * EC2_VISIBILITY_BOUND_MS };
    });

    // Assess: at least 20 s left for the calls themselves.
    expect(EC2_VISIBILITY_BOUND_MS).toBe(15_750);
    for (const { name, spareMs } of spare) expect({ name, enough: spareMs >= 20_000 }).toEqual({ name, enough: true });
  });
});
