import type { EC2Client } from '@aws-sdk/client-ec2';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { createEc2Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { findSnapshotsOfRecoveryPoint, tagRecoveryPointTime } from '../../src/aws/ec2.ts';
import { createSnapshotFromRecoveryPoint } from '../../src/aws/storage-gateway.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { volumeIdOf } from '../../src/report/gateway-result.ts';
import { renderDescription } from '../../src/snapshot/description.ts';
import { snapshotTags } from '../../src/snapshot/tags.ts';
import type { CreateTask, SnapshotOutcome } from '../../src/workflow/types.ts';

export interface CreateSnapshotDependencies {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
}

/**
 * Snapshots one volume's recovery point, unless a snapshot of that point already exists: the snapshot's
 * tags are the record, which makes a retried or re-run step create nothing twice.
 */
export function createCreateSnapshotHandler({ storageGateway, ec2 }: CreateSnapshotDependencies) {
  return stepHandler(async ({ gatewayArn, point, options, execution }: CreateTask): Promise<SnapshotOutcome> => {
    const { volumeArn, recoveryPointTime, sizeBytes } = point;
    logger.appendKeys({ executionName: execution.name, gatewayArn, volumeArn });
    const [existing] = (await findSnapshotsOfRecoveryPoint(ec2, volumeArn, recoveryPointTime)).filter(
      (snapshot) => snapshot.state !== 'error',
    );
    if (existing) {
      logger.info('Recovery point already snapshotted', { snapshotId: existing.snapshotId });
      return { volumeArn, recoveryPointTime, snapshotId: existing.snapshotId, status: 'existing', sizeBytes };
    }
    const description = renderDescription(options.snapshotDescription, {
      volumeId: volumeIdOf(volumeArn),
      gatewayId: volumeIdOf(gatewayArn),
      recoveryPointTime,
      executionName: execution.name,
    });
    const tags = snapshotTags({ gatewayArn, volumeArn, recoveryPointTime, executionArn: execution.id }, options.tags);
    const created = await createSnapshotFromRecoveryPoint(storageGateway, { volumeArn, description, tags });
    const snapshotTime = created.recoveryPointTime || recoveryPointTime;
    if (snapshotTime !== recoveryPointTime) {
      // The volume's recovery point moved on since the listing: the tag must name the point really held.
      await tagRecoveryPointTime(ec2, created.snapshotId, snapshotTime);
    }
    logger.info('Snapshot created', { snapshotId: created.snapshotId, recoveryPointTime: snapshotTime });
    return { volumeArn, recoveryPointTime: snapshotTime, snapshotId: created.snapshotId, status: 'created', sizeBytes };
  });
}

export const handler = createCreateSnapshotHandler({
  storageGateway: createStorageGatewayClient(),
  ec2: createEc2Client(),
});
