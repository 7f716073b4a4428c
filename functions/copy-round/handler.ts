import type { EC2Client } from '@aws-sdk/client-ec2';
import type { STSClient } from '@aws-sdk/client-sts';
import { createDynamoDbClient, createEc2Client, createS3Client, createStsClient } from '../../src/aws/clients.ts';
import { deleteInSlices } from '../../src/aws/delete-snapshots.ts';
import { describeSnapshotsById, type OurSnapshot } from '../../src/aws/ec2.ts';
import {
  assumeRole,
  findCopiesOf,
  findCopiesOfVolumes,
  type RoleCredentials,
  shareSnapshot,
} from '../../src/aws/ec2-copies.ts';
import { SNAPSHOT_NOT_FOUND } from '../../src/aws/ec2-visibility.ts';
import { COPY_ATTEMPT_KEY_PREFIX, copyAttemptKey, copyOnce, copyShortcut } from '../../src/copies/copy-once.ts';
import { copyBooks } from '../../src/copies/evidence.ts';
import { classifyCopyFailure } from '../../src/copies/failures.ts';
import { CONCURRENT_COPIES_PER_DESTINATION_REGION } from '../../src/copies/limits.ts';
import { COPY_RETENTION_BATCH, planCopyRetention } from '../../src/copies/retention.ts';
import { copyRoleArn, copyRoleNameFromEnvironment, DEFAULT_COPY_ROLE_NAME } from '../../src/copies/role.ts';
import { copiesToCheck, itemsToStart, roundResult, settle, sourcesToCheck } from '../../src/copies/round.ts';
import type { CopyItem, CopyRetentionProgress, CopyRoundResult, DestinationRef } from '../../src/copies/types.ts';
import { AttemptLedger } from '../../src/create-once/attempt-ledger.ts';
import { createOnce } from '../../src/create-once/create-once.ts';
import { type IdempotencyTable, idempotencyTableFromEnvironment } from '../../src/create-once/idempotency-table.ts';
import { CopyNotVisibleYetError } from '../../src/errors.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import type { ExecutionOptions } from '../../src/input/schema.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import type { DeleteResult } from '../../src/retention/report.ts';
import { countsAsSnapshot } from '../../src/snapshot/state.ts';
import type { ExecutionRef } from '../../src/workflow/types.ts';

export interface CopyRoundRequest {
  destination: DestinationRef;
  execution: ExecutionRef;
  options: ExecutionOptions;
}

export interface CopyRoundDependencies extends EvidenceDependencies {
  /** EC2 of the source Region. */
  ec2: EC2Client;
  /** EC2 of another Region, with this function's credentials or a role's. @default a client per Region, made once */
  ec2In?: (region: string, credentials?: RoleCredentials) => EC2Client;
  /** STS, to assume the copy role of another account. @default an STS client */
  sts?: STSClient;
  /** The name of the copy role in the destination accounts. @default DEFAULT_COPY_ROLE_NAME */
  copyRoleName?: string;
  now: () => number;
  /** Absent where no table is wired: every copy then runs `find`. */
  idempotency?: IdempotencyTable;
}

/**
 * One round of one destination's copies: brings the book up to date (sources completed, copies completed or failed),
 * starts as many copies as EC2's concurrent-copy limit leaves free, each at most once (`createOnce`: the round's one
 * listing of the destination, the attempt ledger, the copy's tags), and writes the book back. EC2's
 * `ResourceLimitExceeded`, a throttle or a copy not shown yet is no failure: the rest waits for the next round.
 */
export function createCopyRoundHandler({
  ec2,
  ec2In,
  sts = createStsClient(),
  copyRoleName = DEFAULT_COPY_ROLE_NAME,
  now,
  idempotency,
  evidence,
  evidenceBucket,
}: CopyRoundDependencies) {
  const clientIn = ec2In ?? regionalClients();
  const attempts = idempotency && new AttemptLedger({ ...idempotency, keyPrefix: COPY_ATTEMPT_KEY_PREFIX, now });
  return stepHandler(async ({ destination, execution, options }: CopyRoundRequest): Promise<CopyRoundResult> => {
    const books = copyBooks(evidence, evidenceBucket(), execution.id);
    const book = await books.read(destination.key);
    book.startedAt ??= now();
    book.rounds += 1;
    // Another account: the round works there through the copy role it trusts us with (the destination stack).
    const credentials = destination.crossAccount
      ? await assumeRole(sts, copyRoleArn(destination.accountId, copyRoleName), `sgw-copy-${book.rounds}`)
      : undefined;
    const target = clientIn(destination.region, credentials);
    const sources = await statesOf(ec2, sourcesToCheck(book));
    const copies = await statesOf(target, copiesToCheck(book));
    const timeoutAt = book.startedAt + options.copyTimeoutMinutes * 60_000;
    const facts = {
      sources: new Map([...sources].map(([id, s]) => [id, s.state])),
      copies: new Map([...copies].map(([id, s]) => [id, s.state])),
      messages: new Map([...copies].flatMap(([id, s]) => (s.stateMessage ? [[id, s.stateMessage] as const] : []))),
    };
    const items = settle(book.items, facts, now(), timeoutAt);
    const candidates = itemsToStart(items, CONCURRENT_COPIES_PER_DESTINATION_REGION);
    const listed = candidates.length
      ? await findCopiesOf(
          target,
          candidates.map((c) => c.sourceSnapshotId),
        )
      : [];
    let started = 0;
    let limited = false;
    for (const candidate of candidates) {
      if (limited) break;
      const index = items.indexOf(candidate);
      const found = listed.find((c) => c.sourceSnapshotId === candidate.sourceSnapshotId && countsAsSnapshot(c));
      if (found) {
        items[index] = held(candidate, found.snapshotId, found.state, 'existing');
        continue;
      }
      // The documented path across accounts: share the snapshot with the destination, which copies it there.
      if (destination.crossAccount) await shareSnapshot(ec2, candidate.sourceSnapshotId, destination.accountId);
      const hooks = copyOnce({
        destination: target,
        book,
        item: candidate,
        executionArn: execution.id,
        executionName: execution.name,
        userTags: options.tags,
        now,
      });
      const shortcut =
        attempts && copyShortcut(attempts, copyAttemptKey(destination.key, candidate.sourceSnapshotId), true);
      try {
        const { status, resource } = await createOnce(hooks, shortcut);
        items[index] = held(candidate, resource.snapshotId, resource.state, status);
        if (status === 'created') started += 1;
      } catch (error) {
        if (error instanceof CopyNotVisibleYetError) continue;
        const failure = classifyCopyFailure(error);
        if (failure === 'wait') {
          limited = true;
          continue;
        }
        if (failure === 'retry') throw error;
        items[index] = { ...candidate, state: 'failed', error: (error as Error).name, cause: (error as Error).message };
      }
    }
    book.items = items;
    // Retention (issue 12) per destination, once every copy is settled: the source's policy and deletions.
    const policy = book.destination.retention;
    if (policy && items.every((i) => i.state === 'completed' || i.state === 'failed')) {
      book.retention ??= planCopyRetention(
        await findCopiesOfVolumes(target, [...new Set(items.map((i) => i.volumeArn))]),
        items,
        policy,
        Date.parse(execution.startTime),
      );
      limited = (await deleteBatch(target, book.retention)) || limited;
    }
    await books.write(book);
    const result = roundResult(book, started, limited);
    logger.info('Copy round', { ...result, round: book.rounds });
    return result;
  });
}

/**
 * Deletes the next batch of the plan's copies with the source's mechanism (`deleteInSlices`: the Recycle Bin tag on a
 * slice, then the deletes). A copy already gone counts as deleted; a throttle stops the batch for the next round; any
 * other refusal is that copy's failure, never the round's. Answers whether EC2's rate stopped it.
 */
async function deleteBatch(target: EC2Client, retention: CopyRetentionProgress): Promise<boolean> {
  const batch = retention.deletions.slice(retention.cursor, retention.cursor + COPY_RETENTION_BATCH);
  const { results, throttled } = await deleteInSlices(target, batch, copyDeleteOutcome);
  for (const { snapshotId, outcome, error } of results) {
    if (outcome === 'deleted') retention.deleted += 1;
    else retention.failed.push({ snapshotId, error: error ?? outcome });
  }
  retention.cursor += results.length;
  return throttled;
}

/** What a copy's failed tag or delete means: EC2's rate or side waits for the next round; anything else is the copy's. */
function copyDeleteOutcome(snapshotId: string, error: unknown): DeleteResult | 'throttled' {
  if (classifyCopyFailure(error) === 'wait') return 'throttled';
  const name = (error as Error).name;
  return name === SNAPSHOT_NOT_FOUND
    ? { snapshotId, outcome: 'deleted' }
    : { snapshotId, outcome: 'delete-failed', error: name };
}

function held(item: CopyItem, snapshotId: string, state: string, status: 'created' | 'existing'): CopyItem {
  return { ...item, copySnapshotId: snapshotId, status, state: state === 'completed' ? 'completed' : 'copying' };
}

/** What EC2 shows of the given snapshots; one it does not show yet is left out. */
async function statesOf(client: EC2Client, snapshotIds: readonly string[]): Promise<Map<string, OurSnapshot>> {
  if (!snapshotIds.length) return new Map();
  return new Map((await describeSnapshotsById(client, snapshotIds)).map((s) => [s.snapshotId, s]));
}

/**
 * An EC2 client per Region, made on first use and kept, as the module-scope clients are; a role's credentials get a
 * client of their own (they change every round).
 */
function regionalClients(): (region: string, credentials?: RoleCredentials) => EC2Client {
  const clients = new Map<string, EC2Client>();
  return (region, credentials) => {
    if (credentials) return createEc2Client({ region, credentials });
    const client = clients.get(region) ?? createEc2Client({ region });
    clients.set(region, client);
    return client;
  };
}

export const handler = createCopyRoundHandler({
  ec2: createEc2Client(),
  copyRoleName: copyRoleNameFromEnvironment(),
  now: Date.now,
  idempotency: { dynamodb: createDynamoDbClient(), tableName: idempotencyTableFromEnvironment() },
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
});
