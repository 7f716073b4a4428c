import type { EC2Client } from '@aws-sdk/client-ec2';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { createDynamoDbClient, createEc2Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { AttemptLedger } from '../../src/create-once/attempt-ledger.ts';
import { createOnce } from '../../src/create-once/create-once.ts';
import { type IdempotencyTable, idempotencyTableFromEnvironment } from '../../src/create-once/idempotency-table.ts';
import { makeCreateOnceIdempotent } from '../../src/create-once/idempotent.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { recoveryPointShortcut, recoveryPointSnapshot } from '../../src/snapshot/recovery-point-snapshot.ts';
import type { CreateTask, SnapshotOutcome } from '../../src/workflow/types.ts';

export interface CreateSnapshotDependencies {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
  now: () => number;
  /** Absent where no table is wired (some tests, `test/helpers/local-workflow.ts`): the tags alone guard then. */
  idempotency?: IdempotencyTable;
}

/** The recovery point a create is about: the idempotency key. */
export const RECOVERY_POINT_KEY_PATH = 'point.[volumeArn, recoveryPointTime]';
/** Prefix of the recovery points' keys in the idempotency table. */
export const RECOVERY_POINT_KEY_PREFIX = 'sgw-snap:recovery-point';
/** Prefix of the marks of tried creates in the same table (see `recoveryPointShortcut`). */
export const RECOVERY_POINT_ATTEMPT_KEY_PREFIX = 'sgw-snap:recovery-point-attempt';

/**
 * Snapshots one volume's recovery point, unless a snapshot of that point already exists. Two guards: the
 * idempotency table holds concurrent callers of one point apart (the second waits, then gets the first
 * one's snapshot as `existing`), and the snapshot's tags, found inside, answer for everything the table
 * cannot know (points snapshotted before it existed, records past their expiry). With the table, a create asks
 * EC2 for those tags only when the list step could not have seen them or an attempt of the point was marked
 * before (`recoveryPointShortcut`): an execution without faults asks `DescribeSnapshots` once per gateway.
 */
export function createCreateSnapshotHandler({ now, idempotency, ...clients }: CreateSnapshotDependencies) {
  const attempts =
    idempotency && new AttemptLedger({ ...idempotency, keyPrefix: RECOVERY_POINT_ATTEMPT_KEY_PREFIX, now });
  const step = async (task: CreateTask): Promise<SnapshotOutcome> => {
    const hooks = recoveryPointSnapshot({ ...clients, ...(attempts && { attempts }) }, task, { now });
    const { status, resource } = await createOnce(hooks, attempts && recoveryPointShortcut(attempts, task));
    // The call returned: the snapshot exists by now, which bounds the time it was made.
    const snapshotTime = resource.snapshotTime ?? new Date(now()).toISOString();
    if (status === 'existing') {
      logger.info('Recovery point already snapshotted', { snapshotId: resource.snapshotId });
    } else {
      logger.info('Snapshot created', { ...resource });
    }
    const { volumeArn, sizeBytes } = task.point;
    return {
      volumeArn,
      recoveryPointTime: resource.recoveryPointTime,
      snapshotId: resource.snapshotId,
      status,
      sizeBytes,
      snapshotTime,
    };
  };
  if (!idempotency) return stepHandler(step);
  return stepHandler(
    makeCreateOnceIdempotent(step, {
      ...idempotency,
      eventKeyJmesPath: RECOVERY_POINT_KEY_PATH,
      keyPrefix: RECOVERY_POINT_KEY_PREFIX,
    }),
  );
}

export const handler = createCreateSnapshotHandler({
  storageGateway: createStorageGatewayClient(),
  ec2: createEc2Client(),
  now: Date.now,
  idempotency: { dynamodb: createDynamoDbClient(), tableName: idempotencyTableFromEnvironment() },
});
