import type { EC2Client } from '@aws-sdk/client-ec2';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { createEc2Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { createOnce } from '../../src/create-once/create-once.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { recoveryPointSnapshot } from '../../src/snapshot/recovery-point-snapshot.ts';
import type { CreateTask, SnapshotOutcome } from '../../src/workflow/types.ts';

export interface CreateSnapshotDependencies {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
  now: () => number;
}

/**
 * Snapshots one volume's recovery point, unless a snapshot of that point already exists: the snapshot's
 * tags are the record, which makes a retried or re-run step create nothing twice.
 */
export function createCreateSnapshotHandler({ now, ...clients }: CreateSnapshotDependencies) {
  return stepHandler(async (task: CreateTask): Promise<SnapshotOutcome> => {
    const { status, resource } = await createOnce(recoveryPointSnapshot(clients, task));
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
  });
}

export const handler = createCreateSnapshotHandler({
  storageGateway: createStorageGatewayClient(),
  ec2: createEc2Client(),
  now: Date.now,
});
