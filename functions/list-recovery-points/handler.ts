import type { EC2Client } from '@aws-sdk/client-ec2';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { createEc2Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { findSnapshotsOfGateway, knownSnapshot } from '../../src/aws/ec2.ts';
import { gatewayNameOf, listRecoveryPoints } from '../../src/aws/storage-gateway.ts';
import { NO_RECOVERY_POINT } from '../../src/errors.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { planGateway } from '../../src/policy/plan-gateway.ts';
import type { GatewayTask, ListResult, PointFailure, RecoveryPoint } from '../../src/workflow/types.ts';

export interface ListRecoveryPointsDependencies {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
  now: () => number;
}

/**
 * Lists one gateway's recovery points and lets the policy pick the ones to snapshot; the gateway's name goes with
 * the result, so whoever reads the history (`start --wait`, `status`) names the gateway beside its ID.
 */
export function createListRecoveryPointsHandler({ storageGateway, ec2, now }: ListRecoveryPointsDependencies) {
  return stepHandler(async ({ gatewayArn, options }: GatewayTask): Promise<ListResult> => {
    const [points, gatewayName] = await Promise.all([
      listRecoveryPoints(storageGateway, gatewayArn),
      nameOrNothing(storageGateway, gatewayArn),
    ]);
    // One query for the gateway: what already holds a point, and what each volume could be restored from.
    const snapshots = points.length ? (await findSnapshotsOfGateway(ec2, gatewayArn)).map(knownSnapshot) : [];
    const listed = planGateway(points, { options, now: now(), snapshots });
    listed.failures.push(...namedWithoutRecoveryPoint(gatewayArn, points, options.volumeArns));
    logger.info('Listed recovery points', {
      recoveryPoints: listed.recoveryPoints,
      selected: listed.selected.length,
      skipped: listed.skipped.length,
      failed: listed.failures.length,
    });
    return gatewayName ? { ...listed, gatewayName } : listed;
  });
}

/** The gateway's name; a listing without it is still whole, so a failed lookup is only logged. */
async function nameOrNothing(storageGateway: StorageGatewayClient, gatewayArn: string): Promise<string | undefined> {
  try {
    return await gatewayNameOf(storageGateway, gatewayArn);
  } catch (error) {
    logger.warn('The gateway name could not be read; progress names the gateway by ID', { error });
    return undefined;
  }
}

/**
 * The volumes `volumeArns` names on this gateway that have no recovery point here (no such volume, or none
 * yet): each a failure, so a typo or a missing volume fails the execution and the report names it, instead
 * of the run ending "succeeded" with the volume unprotected.
 */
function namedWithoutRecoveryPoint(
  gatewayArn: string,
  points: readonly RecoveryPoint[],
  volumeArns: readonly string[] | undefined,
): PointFailure[] {
  const listed = new Set(points.map((point) => point.volumeArn));
  return (volumeArns ?? [])
    .filter((arn) => arn.startsWith(`${gatewayArn}/volume/`) && !listed.has(arn))
    .map((volumeArn) => ({
      volumeArn,
      recoveryPointTime: '',
      sizeBytes: 0,
      error: NO_RECOVERY_POINT,
      cause:
        'volumeArns names this volume, but its gateway lists no recovery point of it (no such volume, or none yet)',
    }));
}

export const handler = createListRecoveryPointsHandler({
  storageGateway: createStorageGatewayClient(),
  ec2: createEc2Client(),
  now: Date.now,
});
