import type { EC2Client } from '@aws-sdk/client-ec2';
import { createEc2Client, createS3Client } from '../../src/aws/clients.ts';
import { DELETE_CONCURRENCY, deleteInSlices } from '../../src/aws/delete-snapshots.ts';
import { findSnapshotsOfGateway } from '../../src/aws/ec2.ts';
import { archiveSnapshot, lockedSnapshots, lockSnapshot } from '../../src/aws/ec2-lifecycle.ts';
import { backOffUntilVisible, orNotFound, SNAPSHOT_NOT_FOUND } from '../../src/aws/ec2-visibility.ts';
import { InvalidEvidenceError } from '../../src/errors.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import type { SnapshotLockOptions } from '../../src/input/schema.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { readableCause } from '../../src/report/cause.ts';
import { type ArchiveChoice, planArchive } from '../../src/retention/archive.ts';
import { candidatesOf, deleteFailureOutcome, retentionContextOf } from '../../src/retention/context.ts';
import { retentionEvidence } from '../../src/retention/evidence.ts';
import { planRetention } from '../../src/retention/policy.ts';
import {
  type ArchiveResult,
  deletionsOf,
  type LockResult,
  type RetentionPlan,
  type RetentionProgress,
} from '../../src/retention/report.ts';
import type { GatewayIteration, SnapshotOutcome } from '../../src/workflow/types.ts';

/**
 * The most deletions one invocation makes: at EC2's mutating rate (5 a second once the bucket of 50 is spent) a
 * batch takes under a minute, far inside the function's time-out, and a year of 6-hourly history on a gateway of
 * 20 volumes (about 28,000 deletions) takes some 115 rounds, about 600 events of the child's history.
 */
export const RETENTION_BATCH = 250;
export interface ApplyRetentionDependencies extends EvidenceDependencies {
  ec2: EC2Client;
}

/**
 * One round of a gateway's retention. The first plans (our snapshots of the gateway, paged, and the account's
 * locks), writes the plan to the evidence before deleting anything, and deletes the first batch; each later round
 * reads the plan and deletes the next batch. A throttled round stops early and says so; a round that failed is
 * retried from the same cursor, and a snapshot an earlier attempt deleted reads as deleted.
 */
export function createApplyRetentionHandler({ ec2, evidence, evidenceBucket }: ApplyRetentionDependencies) {
  return stepHandler(async (iteration: GatewayIteration): Promise<RetentionProgress> => {
    const { options, gatewayArn, execution } = iteration;
    const store = retentionEvidence(evidence, evidenceBucket(), execution.id, gatewayArn);
    const written = await store.readPlan();
    // A later round without its plan would plan again over what earlier rounds deleted, and lose their rows.
    if (!written && iteration.retention) throw new InvalidEvidenceError(`the retention plan of ${gatewayArn} is gone`);
    const plan = written ?? (await makePlan(ec2, iteration));
    if (!written) await store.writePlan(plan);
    const deletions = deletionsOf(plan);
    const round = iteration.retention?.rounds ?? 0;
    const from = iteration.retention?.cursor ?? 0;
    if (options.dryRun) {
      logger.info('Retention planned (dry run)', {
        gatewayArn,
        snapshots: plan.decisions.length,
        wouldDelete: plan.decisions.filter((d) => d.action === 'delete').length,
      });
      return { rounds: 0, cursor: 0, planned: deletions.length, done: true, throttled: false };
    }
    const { results, throttled } = await deleteInSlices(
      ec2,
      deletions.slice(from, from + RETENTION_BATCH),
      deleteFailureOutcome,
    );
    const to = from + results.length;
    await store.writeRound({ round, from, to, results });
    logger.info('Retention round', { gatewayArn, round, from, to, planned: deletions.length, throttled });
    return { rounds: round + 1, cursor: to, planned: deletions.length, done: to >= deletions.length, throttled };
  });
}

/**
 * Locks the snapshots this run made (the input's `lock`, never in a dry run), then plans over the gateway's. EC2
 * may not show a snapshot just made yet (`src/aws/ec2-visibility.ts`): the lock and the listing back off until it
 * does, so the run's snapshots are locked and planned (kept by `in-run-manifest`) rather than missed. A listing that
 * still lacks one after the backoff is planned as it is: retention deletes only what it lists, so it deletes none
 * of them.
 */
async function makePlan(ec2: EC2Client, iteration: GatewayIteration): Promise<RetentionPlan> {
  const { options, gatewayArn } = iteration;
  const made = (iteration.outcomes ?? []).filter((o): o is SnapshotOutcome => 'status' in o && o.status === 'created');
  const lock = options.lock;
  const locks = lock && !options.dryRun ? await lockMade(ec2, made, lock) : [];
  const shown = (list: readonly { snapshotId: string }[]) => {
    const ids = new Set(list.map((s) => s.snapshotId));
    return made.filter((s) => !ids.has(s.snapshotId));
  };
  const [snapshots, locked] = await Promise.all([
    findSnapshotsOfGateway(ec2, gatewayArn).then((first) =>
      backOffUntilVisible(
        first,
        () => findSnapshotsOfGateway(ec2, gatewayArn),
        (list) => shown(list).length === 0,
      ),
    ),
    lockedSnapshots(ec2),
  ]);
  const unseen = shown(snapshots).map((s) => s.snapshotId);
  if (unseen.length) logger.warn('EC2 does not list snapshots this run made yet', { gatewayArn, unseen });
  const policy = options.retention;
  const now = Date.parse(iteration.execution.startTime);
  const decisions = policy ? planRetention(candidatesOf(snapshots, locked), policy, retentionContextOf(iteration)) : [];
  const archived = snapshots.filter((s) => s.archived).map((s) => s.snapshotId);
  const choices =
    policy && options.archive ? planArchive(decisions, new Set(archived), policy, options.archive, now) : [];
  const archives = options.dryRun
    ? choices.map((c): ArchiveResult => ({ ...c, outcome: 'would-archive' }))
    : await inBatches(choices, (c) => archiveOne(ec2, c));
  return { gatewayArn: iteration.gatewayArn, dryRun: options.dryRun, locks, decisions, archives, archived };
}

/** Archives one kept snapshot; a refusal is that snapshot's `archive-failed`, as with a lock. */
async function archiveOne(ec2: EC2Client, choice: ArchiveChoice): Promise<ArchiveResult> {
  try {
    await archiveSnapshot(ec2, choice.snapshotId);
    return { ...choice, outcome: 'archived' };
  } catch (error) {
    const outcome = deleteFailureOutcome(choice.snapshotId, error);
    if (outcome === 'retry' || outcome === 'throttled') throw error;
    return { ...choice, outcome: 'archive-failed', error: outcome.error ?? 'Error', cause: outcome.cause ?? '' };
  }
}

/**
 * Locks the snapshots this run made. They are new, so `InvalidSnapshot.NotFound` is EC2 not showing them yet: those
 * not found are tried again after each backoff, all together, so the wait is bounded however many there are; one
 * still not found after the backoff is `lock-failed` with EC2's answer (never read as deleted).
 */
async function lockMade(
  ec2: EC2Client,
  made: readonly SnapshotOutcome[],
  lock: SnapshotLockOptions,
): Promise<LockResult[]> {
  const answers = new Map<string, LockResult | Error>();
  const notFound = () => made.filter((s) => answers.get(s.snapshotId) instanceof Error);
  const lockPending = async () => {
    const pending = answers.size ? notFound() : made;
    const tried = await inBatches(pending, (s) => orNotFound(() => lockOne(ec2, s, lock)));
    for (const [i, s] of pending.entries()) answers.set(s.snapshotId, tried[i] as LockResult | Error);
    return notFound();
  };
  await backOffUntilVisible(await lockPending(), lockPending, (missing) => missing.length === 0);
  return made.map((s): LockResult => {
    const answer = answers.get(s.snapshotId) ?? new Error('not tried');
    if (!(answer instanceof Error)) return answer;
    const { snapshotId, volumeArn, recoveryPointTime } = s;
    const failure = { error: answer.name, cause: readableCause(answer.message) };
    return { snapshotId, volumeArn, recoveryPointTime, outcome: 'lock-failed', reason: lock.mode, ...failure };
  });
}

/**
 * Locks one snapshot; a refusal is that snapshot's `lock-failed`, a transient error or a throttle fails the first
 * round, which the state machine retries (locking again what is locked only sets the same lock).
 * `InvalidSnapshot.NotFound` reaches the caller, {@link lockMade}.
 */
async function lockOne(ec2: EC2Client, made: SnapshotOutcome, lock: SnapshotLockOptions): Promise<LockResult> {
  const { snapshotId, volumeArn, recoveryPointTime } = made;
  try {
    const { lockState, expiresOn } = await lockSnapshot(ec2, snapshotId, lock);
    return { snapshotId, volumeArn, recoveryPointTime, outcome: 'locked', reason: `${lockState} until ${expiresOn}` };
  } catch (error) {
    if (error instanceof Error && error.name === SNAPSHOT_NOT_FOUND) throw error;
    const outcome = deleteFailureOutcome(snapshotId, error);
    if (outcome === 'retry' || outcome === 'throttled') throw error;
    const { error: name = 'Error', cause = '' } = outcome;
    return { snapshotId, volumeArn, recoveryPointTime, outcome: 'lock-failed', reason: lock.mode, error: name, cause };
  }
}

/** `work` over `items`, `DELETE_CONCURRENCY` at a time, in order. */
async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += DELETE_CONCURRENCY) {
    results.push(...(await Promise.all(items.slice(i, i + DELETE_CONCURRENCY).map(work))));
  }
  return results;
}

export const handler = createApplyRetentionHandler({
  ec2: createEc2Client(),
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
});
