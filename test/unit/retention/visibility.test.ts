import { orNotFound, untilVisible, VISIBILITY_BACKOFF_MS } from '../../../src/retention/visibility.ts';

const notFound = () =>
  Object.assign(new Error("The snapshot 'snap-1' does not exist."), { name: 'InvalidSnapshot.NotFound' });

describe('waiting for EC2 to show a snapshot just made', () => {
  it('tries again after each backoff until the answer shows it, and waits no more', async () => {
    // Prepare: EC2 shows the snapshot on the third try.
    const waits: number[] = [];
    let tries = 0;

    // Act
    const answer = await untilVisible(
      async () => ++tries,
      (n) => n >= 3,
      async (ms) => {
        waits.push(ms);
      },
    );

    // Assess
    expect({ answer, tries, waits }).toEqual({ answer: 3, tries: 3, waits: VISIBILITY_BACKOFF_MS.slice(0, 2) });
  });

  it('answers the last try once the backoff is spent, for the caller to report', async () => {
    const waits: number[] = [];

    const answer = await untilVisible(
      () => orNotFound(() => Promise.reject(notFound())),
      (result) => !(result instanceof Error),
      async (ms) => {
        waits.push(ms);
      },
    );

    expect(answer).toMatchObject({ name: 'InvalidSnapshot.NotFound' });
    expect(waits).toEqual(VISIBILITY_BACKOFF_MS);
    expect(VISIBILITY_BACKOFF_MS[0]).toBeGreaterThanOrEqual(2000);
  });

  it('throws any error but InvalidSnapshot.NotFound at once', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'RequestLimitExceeded' });

    await expect(orNotFound(() => Promise.reject(throttled))).rejects.toBe(throttled);
    await expect(orNotFound(async () => 'locked')).resolves.toBe('locked');
  });
});
