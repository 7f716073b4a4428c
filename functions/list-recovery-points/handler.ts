import type { EC2Client } from '@aws-sdk/client-ec2';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { createEc2Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { findSnapshotsOfGateway } from '../../src/aws/ec2.ts';
import { listRecoveryPoints } from '../../src/aws/storage-gateway.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { recoveryPointKey } from '../../src/policy/decide.ts';
import { planGateway } from '../../src/policy/plan-gateway.ts';
import { countsAsSnapshot } from '../../src/snapshot/state.ts';
import type { GatewayTask, ListResult } from '../../src/workflow/types.ts';

export interface ListRecoveryPointsDependencies {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
  now: () => number;
}

/** Lists one gateway's recovery points and lets the policy pick the ones to snapshot. */
export function createListRecoveryPointsHandler({ storageGateway, ec2, now }: ListRecoveryPointsDependencies) {
  return stepHandler(async ({ gatewayArn, options }: GatewayTask): Promise<ListResult> => {
    const points = await listRecoveryPoints(storageGateway, gatewayArn);
    const alreadySnapshotted = new Set<string>();
    if (options.policy.skipIfAlreadySnapshotted && points.length) {
      for (const snapshot of (await findSnapshotsOfGateway(ec2, gatewayArn)).filter(countsAsSnapshot)) {
        alreadySnapshotted.add(recoveryPointKey(snapshot.volumeArn, snapshot.recoveryPointTime));
      }
    }
    const listed = planGateway(points, { options, now: now(), alreadySnapshotted });
    logger.info('Listed recovery points', {
      recoveryPoints: listed.recoveryPoints,
      selected: listed.selected.length,
      skipped: listed.skipped.length,
      failed: listed.failures.length,
    });
    return listed;
  });
}

export const handler = createListRecoveryPointsHandler({
  storageGateway: createStorageGatewayClient(),
  ec2: createEc2Client(),
  now: Date.now,
});
