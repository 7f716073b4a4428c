import type { EC2Client } from '@aws-sdk/client-ec2';
import { createDynamoDbClient, createEc2Client, createS3Client } from '../../src/aws/clients.ts';
import { describeSnapshotsById } from '../../src/aws/ec2.ts';
import { findCopiesOf } from '../../src/aws/ec2-copies.ts';
import { COPY_ATTEMPT_KEY_PREFIX, copyAttemptKey, copyOnce, copyShortcut } from '../../src/copies/copy-once.ts';
import { copyBooks } from '../../src/copies/evidence.ts';
import { classifyCopyFailure } from '../../src/copies/failures.ts';
import { CONCURRENT_COPIES_PER_DESTINATION_REGION } from '../../src/copies/limits.ts';
import { copiesToCheck, itemsToStart, roundResult, settle, sourcesToCheck } from '../../src/copies/round.ts';
import type { CopyItem, CopyRoundResult, DestinationRef } from '../../src/copies/types.ts';
import { AttemptLedger } from '../../src/create-once/attempt-ledger.ts';
import { createOnce } from '../../src/create-once/create-once.ts';
import { type IdempotencyTable, idempotencyTableFromEnvironment } from '../../src/create-once/idempotency-table.ts';
import { CopyNotVisibleYetError } from '../../src/errors.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import type { ExecutionOptions } from '../../src/input/schema.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
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
  /** EC2 of another Region, in this account. @default a client per Region, made once */
  ec2In?: (region: string) => EC2Client;
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
    const target = clientIn(destination.region);
    const sources = await statesOf(ec2, sourcesToCheck(book));
    const copies = await statesOf(target, copiesToCheck(book));
    const timeoutAt = book.startedAt + options.copyTimeoutMinutes * 60_000;
    const items = settle(book.items, { sources, copies }, now(), timeoutAt);
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
    await books.write(book);
    const result = roundResult(book, started, limited);
    logger.info('Copy round', { ...result, round: book.rounds });
    return result;
  });
}

function held(item: CopyItem, snapshotId: string, state: string, status: 'created' | 'existing'): CopyItem {
  return { ...item, copySnapshotId: snapshotId, status, state: state === 'completed' ? 'completed' : 'copying' };
}

/** EC2 states of the given snapshots that EC2 shows; one the destination does not show yet is left out. */
async function statesOf(client: EC2Client, snapshotIds: readonly string[]): Promise<Map<string, string>> {
  if (!snapshotIds.length) return new Map();
  return new Map((await describeSnapshotsById(client, snapshotIds)).map((s) => [s.snapshotId, s.state]));
}

/** An EC2 client per Region, made on first use and kept, as the module-scope clients are. */
function regionalClients(): (region: string) => EC2Client {
  const clients = new Map<string, EC2Client>();
  return (region) => {
    const client = clients.get(region) ?? createEc2Client({ region });
    clients.set(region, client);
    return client;
  };
}

export const handler = createCopyRoundHandler({
  ec2: createEc2Client(),
  now: Date.now,
  idempotency: { dynamodb: createDynamoDbClient(), tableName: idempotencyTableFromEnvironment() },
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
});
