import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long retention waits for EC2 to show a snapshot this run just made, between tries: EC2 is eventually
 * consistent, and a call naming a snapshot just made may answer `InvalidSnapshot.NotFound` or leave it out of
 * `DescribeSnapshots`; EC2 advises backing off "starting with a couple of seconds"
 * (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html). 2 + 4 + 8 s stays far inside the
 * retention function's time-out.
 */
export const VISIBILITY_BACKOFF_MS: readonly number[] = [2000, 4000, 8000];

/** EC2's answer to a call naming a snapshot it does not show (yet, for one just made). */
export const SNAPSHOT_NOT_FOUND = 'InvalidSnapshot.NotFound';

/**
 * Calls `attempt` until `visible` says its answer shows what this run made, waiting {@link VISIBILITY_BACKOFF_MS}
 * between tries; answers the last try's result however it reads, for the caller to report.
 */
export async function untilVisible<T>(
  attempt: () => Promise<T>,
  visible: (result: T) => boolean,
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<T> {
  let result = await attempt();
  for (const ms of VISIBILITY_BACKOFF_MS) {
    if (visible(result)) return result;
    await wait(ms);
    result = await attempt();
  }
  return result;
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
