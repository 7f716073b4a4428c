import type { EC2Client } from '@aws-sdk/client-ec2';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { findSnapshotsOfRecoveryPoint, tagRecoveryPointTime } from '../aws/ec2.ts';
import { createSnapshotFromRecoveryPoint } from '../aws/storage-gateway.ts';
import type { CreateOnceHooks } from '../create-once/create-once.ts';
import { volumeIdOf } from '../report/gateway-report.ts';
import type { CreateTask } from '../workflow/types.ts';
import { renderDescription } from './description.ts';
import { countsAsSnapshot } from './state.ts';
import { snapshotTags } from './tags.ts';

export interface RecoveryPointSnapshotClients {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
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
 */
export function recoveryPointSnapshot(
  { storageGateway, ec2 }: RecoveryPointSnapshotClients,
  { gatewayArn, point, options, execution }: CreateTask,
): CreateOnceHooks<HeldSnapshot> {
  const { volumeArn, recoveryPointTime } = point;
  return {
    async find() {
      const found = (await findSnapshotsOfRecoveryPoint(ec2, volumeArn, recoveryPointTime)).find(countsAsSnapshot);
      return (
        found && {
          snapshotId: found.snapshotId,
          recoveryPointTime,
          ...(found.startTime ? { snapshotTime: found.startTime } : {}),
        }
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
      const created = await createSnapshotFromRecoveryPoint(storageGateway, { volumeArn, description, tags });
      return { snapshotId: created.snapshotId, recoveryPointTime: created.recoveryPointTime || recoveryPointTime };
    },
    async record(created) {
      // The volume's recovery point moved on since the listing: the tag must name the point really held.
      if (created.recoveryPointTime !== recoveryPointTime) {
        await tagRecoveryPointTime(ec2, created.snapshotId, created.recoveryPointTime);
      }
    },
  };
}
