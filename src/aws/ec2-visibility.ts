import { setTimeout as sleep } from 'node:timers/promises';

/** EC2's answer to a call naming a snapshot it does not show (yet, for one just made). */
export const SNAPSHOT_NOT_FOUND = 'InvalidSnapshot.NotFound';

/**
 * How long to wait, between looks, for EC2 to show a snapshot Storage Gateway just made: 0.25 s doubling to 8 s.
 * EC2 is eventually consistent and publishes no bound: a call naming a snapshot just made may answer
 * `InvalidSnapshot.NotFound`, and `DescribeSnapshots` may leave it out, for a while; EC2 advises an exponential
 * backoff "starting with a couple of seconds" (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html).
 * The first looks come sooner, as most snapshots show within a second; the schedule passes the couple of seconds by
 * its fourth look. One schedule for every step that waits for EC2: the create (its find and its retag), retention's
 * lock and listing, the restore preflight and the summary's look-up by the execution's tag.
 */
export const EC2_VISIBILITY_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000, 4000, 8000];

/**
 * The bound: the longest one backoff waits, 15.75 s. A step waits through it at most twice in one invocation (the
 * create: a look for an earlier attempt's snapshot, then the wait after a create that may have taken effect), well
 * inside the 60 s of the shortest Task that waits (`test/unit/aws/ec2-visibility.test.ts` checks the ASL).
 */
export const EC2_VISIBILITY_BOUND_MS = visibilityBoundMs();

/** How a step waits for EC2 to show what it made; tests pass a sleep that does not wait. */
export interface VisibilityBackoff {
  /** @default EC2_VISIBILITY_DELAYS_MS */
  delaysMs?: readonly number[];
  /** @default node's timers/promises setTimeout */
  sleep?: (ms: number) => Promise<unknown>;
}

/** The longest `backoff` waits in all: {@link EC2_VISIBILITY_BOUND_MS} unless a test gives its own delays. */
export function visibilityBoundMs(backoff: VisibilityBackoff = {}): number {
  return (backoff.delaysMs ?? EC2_VISIBILITY_DELAYS_MS).reduce((sum, ms) => sum + ms, 0);
}

/**
 * The one loop for EC2's eventual consistency: from `first` (the answer the caller has, or a placeholder that is
 * not `settled` to wait before the first look), waits each of `backoff.delaysMs` and asks `again` until `settled`
 * says the answer is final; answers the last one however it reads, for the caller to report. The callers differ
 * only in what they ask again and what settles it.
 */
export async function backOffUntilVisible<T>(
  first: T,
  again: () => Promise<T>,
  settled: (answer: T) => boolean,
  backoff: VisibilityBackoff = {},
): Promise<T> {
  const wait = backoff.sleep ?? sleep;
  let answer = first;
  for (const delay of backoff.delaysMs ?? EC2_VISIBILITY_DELAYS_MS) {
    if (settled(answer)) return answer;
    await wait(delay);
    answer = await again();
  }
  return answer;
}

/** `attempt`'s result, or its error when EC2 answered `InvalidSnapshot.NotFound`; any other error is thrown. */
export async function orNotFound<T>(attempt: () => Promise<T>): Promise<T | Error> {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof Error && error.name === SNAPSHOT_NOT_FOUND) return error;
    throw error;
  }
}
