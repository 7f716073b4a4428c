import { createEc2Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { type RestoreTargetClients, restoreTargetPort } from '../../src/aws/restore-target.ts';
import { RestoredVolumeUnusableError, RestoreNotVerifiedError, RestoreTimedOutError } from '../../src/errors.ts';
import { stepHandler } from '../../src/lambda/handler.ts';
import type { RestoredVolume, RestoreTask, VolumeCheck } from '../../src/restore/types.ts';
import { rtoMsOf, waitTimedOut } from '../../src/restore/volume-status.ts';

export interface RestoreCheckDependencies extends RestoreTargetClients {
  now: () => number;
}

/**
 * Looks at one restored volume once: pending (the state machine waits and asks again), or usable and verified
 * (its source snapshot and size), with the achieved RTO. An unusable volume, a wrong one, or one still pending
 * past the wait's time-out fails this volume with a named error.
 */
export function createRestoreCheckHandler({ storageGateway, ec2, now }: RestoreCheckDependencies) {
  return stepHandler(async ({ item, options, execution, created }: RestoreTask & { created: RestoredVolume }) => {
    const port = restoreTargetPort(
      options.target,
      { storageGateway, ec2 },
      { executionArn: execution.id, test: options.test },
    );
    const view = await port.describe(created.volumeId);
    const at = now();
    const checkedAt = new Date(at).toISOString();
    if (view.phase === 'unusable') {
      throw new RestoredVolumeUnusableError(`${created.volumeId} restored from ${item.snapshotId} is ${view.status}`);
    }
    if (view.phase === 'pending') {
      if (waitTimedOut(created.requestedAt, options.waitTimeoutMinutes, at)) {
        throw new RestoreTimedOutError(
          `${created.volumeId} restored from ${item.snapshotId} was still ${view.status} after ${options.waitTimeoutMinutes} minutes`,
        );
      }
      return { phase: 'pending', status: view.status, checkedAt } satisfies VolumeCheck;
    }
    if (view.sourceSnapshotId !== undefined && view.sourceSnapshotId !== item.snapshotId) {
      throw new RestoreNotVerifiedError(
        `${created.volumeId} was made from ${view.sourceSnapshotId}, not ${item.snapshotId}`,
      );
    }
    if (view.sizeBytes < item.sizeBytes) {
      throw new RestoreNotVerifiedError(
        `${created.volumeId} holds ${view.sizeBytes} bytes, not the ${item.sizeBytes} of its source`,
      );
    }
    return {
      phase: 'usable',
      status: view.status,
      checkedAt,
      rtoMs: rtoMsOf(created.requestedAt, at),
      sizeBytes: view.sizeBytes,
    } satisfies VolumeCheck;
  });
}

export const handler = createRestoreCheckHandler({
  storageGateway: createStorageGatewayClient(),
  ec2: createEc2Client(),
  now: Date.now,
});
