import { type EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { findCopiesOf, startCopy } from '../aws/ec2-copies.ts';
import { EC2_VISIBILITY_BOUND_MS } from '../aws/ec2-visibility.ts';
import type { AttemptLedger, PriorAttempts } from '../create-once/attempt-ledger.ts';
import type { CreateOnceHooks, CreateOnceShortcut, EarlierAttempt } from '../create-once/create-once.ts';
import { CopyNotVisibleYetError } from '../errors.ts';
import { volumeIdOf } from '../report/gateway-report.ts';
import { countsAsSnapshot } from '../snapshot/state.ts';
import { copyTags } from './tags.ts';
import type { CopyBook, CopyItem } from './types.ts';

/** Prefix of the marks of tried copies in the idempotency table (an `AttemptLedger`'s). */
export const COPY_ATTEMPT_KEY_PREFIX = 'sgw-snap:copy-attempt';

/**
 * How long after an attempt that may have made a copy a `find` that does not see it is not believed: as long as the
 * create step waits for EC2 to show a new snapshot (`EC2_VISIBILITY_BOUND_MS`, past the "couple of seconds" EC2
 * advises). Within it the copy waits for a later round (`CopyNotVisibleYet`) instead of being made twice.
 */
export const COPY_VISIBILITY_WAIT_MS = EC2_VISIBILITY_BOUND_MS;

/** A copy found or made: its ID and EC2 state. */
export interface HeldCopy {
  snapshotId: string;
  state: string;
}

/** The key under which the ledger marks the copies of one source to one destination. */
export function copyAttemptKey(destinationKey: string, sourceSnapshotId: string): string {
  return `${destinationKey}#${sourceSnapshotId}`;
}

export interface CopyOnceContext {
  /** The destination's EC2 (its Region, and its account's credentials). */
  destination: EC2Client;
  book: Pick<CopyBook, 'destination' | 'sourceRegion'>;
  item: CopyItem;
  executionArn: string;
  executionName: string;
  userTags: Record<string, string>;
  now: () => number;
}

/**
 * The create-once hooks of one volume's copy to one destination. The copy's `sgw-snap:copy-*` tags, given at birth,
 * are its record: `find` asks the destination for a copy of the source that is not in `error`; `record` has nothing
 * left to do. Told of an earlier attempt that began less than {@link COPY_VISIBILITY_WAIT_MS} ago, a `find` that sees
 * nothing throws `CopyNotVisibleYet`: the round leaves the copy for the next one.
 */
export function copyOnce(context: CopyOnceContext): CreateOnceHooks<HeldCopy> {
  const { destination, book, item } = context;
  return {
    async find(earlier?: EarlierAttempt) {
      const found = (await findCopiesOf(destination, [item.sourceSnapshotId])).find(countsAsSnapshot);
      if (found) return { snapshotId: found.snapshotId, state: found.state };
      if (earlier && context.now() - earlier.at < COPY_VISIBILITY_WAIT_MS) {
        throw new CopyNotVisibleYetError(
          `an attempt begun at ${new Date(earlier.at).toISOString()} may have made a copy of ${item.sourceSnapshotId} EC2 does not show yet`,
        );
      }
      return undefined;
    },
    async create() {
      const snapshotId = await startCopy(destination, {
        sourceRegion: book.sourceRegion,
        sourceSnapshotId: item.sourceSnapshotId,
        description: `Copy of ${item.sourceSnapshotId} (${volumeIdOf(item.volumeArn)}, recovery point ${item.recoveryPointTime}) by ${context.executionName}`,
        tags: copyTags(item, book.sourceRegion, context.executionArn, context.userTags),
        ...(book.destination.kmsKeyId ? { kmsKeyId: book.destination.kmsKeyId } : {}),
      });
      return { snapshotId, state: 'pending' };
    },
    async record() {},
  };
}

/**
 * The shortcut of a copy: the round's one listing of the destination (`seenAbsent`) stands for `find`, unless the
 * ledger shows an earlier attempt that may have made the copy. A copy EC2 refused (a 4xx: the limit, a bad key) puts
 * the mark back.
 */
export function copyShortcut(attempts: AttemptLedger, key: string, seenAbsent: boolean): CreateOnceShortcut {
  let prior: PriorAttempts;
  return {
    seenAbsent,
    async begin() {
      prior = await attempts.begin(key);
      return prior?.outcome === 'open' ? { at: prior.at } : undefined;
    },
    async failed(error: unknown) {
      if (error instanceof EC2ServiceException && error.$fault === 'client') await attempts.refused(key, prior);
    },
  };
}
