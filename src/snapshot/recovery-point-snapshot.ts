import type { EC2Client } from '@aws-sdk/client-ec2';
import { type StorageGatewayClient, StorageGatewayServiceException } from '@aws-sdk/client-storage-gateway';
import { findSnapshotsOfRecoveryPoint, tagRecoveryPointTime } from '../aws/ec2.ts';
import { backOffUntilVisible, orNotFound, type VisibilityBackoff, visibilityBoundMs } from '../aws/ec2-visibility.ts';
import { createSnapshotFromRecoveryPoint } from '../aws/storage-gateway.ts';
import type { AttemptLedger, PriorAttempts } from '../create-once/attempt-ledger.ts';
import type { CreateOnceHooks, CreateOnceShortcut, EarlierAttempt } from '../create-once/create-once.ts';
import { logger } from '../lambda/handler.ts';
import { isTransientNetworkFailure } from '../lambda/transient-errors.ts';
import { volumeIdOf } from '../report/gateway-report.ts';
import type { CreateTask } from '../workflow/types.ts';
import { renderDescription } from './description.ts';
import { countsAsSnapshot } from './state.ts';
import { snapshotTags } from './tags.ts';

export interface RecoveryPointSnapshotClients {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
  /** The marks of tried creates, keyed by {@link recoveryPointAttemptKey}; absent, every create runs `find`. */
  attempts?: AttemptLedger;
}

/** The key under which an `AttemptLedger` marks creates of one recovery point. */
export function recoveryPointAttemptKey(volumeArn: string, recoveryPointTime: string): string {
  return `${volumeArn}#${recoveryPointTime}`;
}

/**
 * When the create of a listed point may leave out its own `DescribeSnapshots`, so that an execution without faults
 * asks EC2 once per gateway (the list step), not once per volume: EC2's request token bucket is the account's,
 * shared with everything else the customer runs. The list step's one query per gateway is the read: with
 * `skipIfAlreadySnapshotted`, a selected point is one that query showed no usable snapshot of (without it, the
 * list step selects snapshotted points too, and every create runs `find`). Every attempt marks the point open
 * before it calls Storage Gateway, and puts the mark back only when Storage Gateway refused the call (a 4xx:
 * throttled, invalid); an attempt that finds the mark open runs `find`. That covers a Task retry after a reset or a
 * 500 that made the snapshot, an overlapping execution whose idempotency record was deleted when its attempt
 * failed, a Lambda killed mid-create whose in-progress record lapsed, and a snapshot made too recently for the
 * list step's read to show it (EC2's visibility lag): its maker marked it first. A point whose record and mark
 * expired (15 days) was snapshotted long enough ago for the list step to have seen it.
 *
 * Why a mark and not the Task's retry count (`$$.State.RetryCount` in the Parameters): the count knows only this
 * execution's retries, not another execution whose failed attempt deleted its idempotency record, nor a redrive;
 * and aws-local-stepfunctions does not supply `$$.State`, so the local runner would have had to count retries
 * around the engine.
 */
export function recoveryPointShortcut(attempts: AttemptLedger, { point, options }: CreateTask): CreateOnceShortcut {
  const key = recoveryPointAttemptKey(point.volumeArn, point.recoveryPointTime);
  let prior: PriorAttempts;
  return {
    seenAbsent: options.policy.skipIfAlreadySnapshotted,
    async begin() {
      prior = await attempts.begin(key);
      return prior?.outcome === 'open' ? { at: prior.at } : undefined;
    },
    async failed(error: unknown) {
      if (refusedByService(error)) await attempts.refused(key, prior);
    },
  };
}

/** A failed call that made nothing: the service answered it with a client error of its own (throttled, invalid). */
function refusedByService(error: unknown): boolean {
  return error instanceof StorageGatewayServiceException && error.$fault === 'client';
}

/**
 * How `find`, `create` and `record` wait for EC2 to show a new snapshot: EC2's one visibility backoff
 * (`src/aws/ec2-visibility.ts`); tests pass a sleep that does not wait.
 */
export interface RetagBackoff extends VisibilityBackoff {
  /** Clock, in epoch milliseconds, against which an earlier attempt's start is measured. @default Date.now */
  now?: () => number;
}

/** A snapshot of a recovery point: its ID and the time of the point it holds. */
export interface HeldSnapshot {
  snapshotId: string;
  recoveryPointTime: string;
  /** EC2's start time of a snapshot that was found; a new one's is the caller's clock. */
  snapshotTime?: string;
}

/**
 * The create-once hooks of the snapshot of one listed recovery point. The snapshot's `sgw-snap:*` tags,
 * given at creation, are its record: `find` asks EC2 for them, ignoring failed snapshots; `record` only
 * corrects the time tag when Storage Gateway snapshotted a newer point than the one listed.
 *
 * EC2 is eventually consistent: `record` may be told `InvalidSnapshot.NotFound` for the snapshot just made. It
 * tries again after each of `backoff.delaysMs`, and if EC2 still does not know the snapshot it returns it anyway
 * with a warning that its time tag is stale (it names the listed point, older than the one held). Failing instead
 * would fail a volume that has its snapshot, and a retry of the Task would run `find`, which may not see the new
 * snapshot yet either, and create a second one. A stale tag costs only this: a later run that lists the newer
 * point does not find this snapshot under it, and snapshots that point again.
 *
 * For the same reason `create`, when its call failed in a way that may have made the snapshot all the same (no
 * readable answer: a reset, a timeout, an HTML 5xx page), waits with the same backoff until `find` sees a snapshot
 * of the point or the backoff ends, and only then fails: the Task's retry then finds the snapshot (status
 * `existing`) instead of making a second one, unless EC2 takes longer than the whole backoff to show it. `find`,
 * told of an earlier attempt that may have made the snapshot (an open mark, see {@link recoveryPointShortcut}),
 * keeps looking with the same backoff until that attempt began longer ago than the backoff lasts: a 500 after the
 * effect waits no longer than a reset does, only in the retry instead of the failing attempt.
 */
export function recoveryPointSnapshot(
  { storageGateway, ec2, attempts }: RecoveryPointSnapshotClients,
  { gatewayArn, point, options, execution }: CreateTask,
  backoff: RetagBackoff = {},
): CreateOnceHooks<HeldSnapshot> {
  const { volumeArn, recoveryPointTime } = point;
  const totalDelay = visibilityBoundMs(backoff);
  // Waits first: the create just failed, so nothing is there to see yet.
  const waitUntilFound = () =>
    backOffUntilVisible(
      false,
      // A failed look (throttled, say) is one more reason to wait, never the step's error.
      async () =>
        (await findSnapshotsOfRecoveryPoint(ec2, volumeArn, recoveryPointTime).catch(() => [])).some(countsAsSnapshot),
      (found) => found,
      backoff,
    );
  const findOnce = async (): Promise<HeldSnapshot | undefined> => {
    const found = (await findSnapshotsOfRecoveryPoint(ec2, volumeArn, recoveryPointTime)).find(countsAsSnapshot);
    return (
      found && {
        snapshotId: found.snapshotId,
        recoveryPointTime,
        ...(found.startTime ? { snapshotTime: found.startTime } : {}),
      }
    );
  };
  return {
    async find(earlier?: EarlierAttempt) {
      const found = await findOnce();
      if (found || !earlier) return found;
      // An earlier attempt may have made a snapshot EC2 does not show yet: look again while it could still appear.
      const clock = backoff.now ?? Date.now;
      return backOffUntilVisible(
        found,
        // A failed look (throttled, say) is one more reason to look again, never the step's error.
        () => findOnce().catch(() => undefined),
        (again) => again !== undefined || clock() - earlier.at >= totalDelay,
        backoff,
      );
    },
    async create() {
      const description = renderDescription(options.snapshotDescription, {
        volumeId: volumeIdOf(volumeArn),
        gatewayId: volumeIdOf(gatewayArn),
        recoveryPointTime,
        executionName: execution.name,
      });
      const tags = snapshotTags({ gatewayArn, volumeArn, recoveryPointTime, executionArn: execution.id }, options.tags);
      let created: Awaited<ReturnType<typeof createSnapshotFromRecoveryPoint>>;
      try {
        created = await createSnapshotFromRecoveryPoint(storageGateway, { volumeArn, description, tags });
      } catch (error) {
        if (mayHaveTakenEffect(error)) await waitUntilFound();
        throw error;
      }
      return { snapshotId: created.snapshotId, recoveryPointTime: created.recoveryPointTime || recoveryPointTime };
    },
    async record(created) {
      // The volume's recovery point moved on since the listing: the tag must name the point really held.
      if (created.recoveryPointTime === recoveryPointTime) return;
      // A run that lists the newer point must not take it for never tried.
      await attempts?.begin(recoveryPointAttemptKey(volumeArn, created.recoveryPointTime));
      let tries = 0;
      const retag = () => {
        tries += 1;
        return orNotFound(() => tagRecoveryPointTime(ec2, created.snapshotId, created.recoveryPointTime));
      };
      const tagged = await backOffUntilVisible(await retag(), retag, (answer) => !(answer instanceof Error), backoff);
      if (tagged instanceof Error) {
        logger.warn('EC2 does not show the new snapshot yet: its recovery-point time tag is stale', {
          snapshotId: created.snapshotId,
          taggedRecoveryPointTime: recoveryPointTime,
          heldRecoveryPointTime: created.recoveryPointTime,
          attempts: tries,
        });
      }
    },
  };
}

/**
 * A failed create that Storage Gateway may have performed anyway: one that got no readable answer. A named 5xx
 * (`InternalServerError`) is left to the Task's retry at once: waiting after each would cost every such failure
 * the whole backoff in Lambda time, and most of them made nothing.
 */
function mayHaveTakenEffect(error: unknown): boolean {
  return isTransientNetworkFailure(error);
}
