import { createEc2Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { type RestoreTargetClients, restoreTargetPort } from '../../src/aws/restore-target.ts';
import { NotOursToDeleteError } from '../../src/errors.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { isOwnTestVolume } from '../../src/restore/tags.ts';
import type { RestoredVolume, RestoreTask, VolumeCleanup } from '../../src/restore/types.ts';

export interface RestoreCleanupDependencies extends RestoreTargetClients {
  now: () => number;
}

/**
 * Deletes the volume a restore test made, and only such a volume: it must carry this test's tags (the IAM policy
 * allows no other delete either). A volume already gone counts as deleted.
 */
export function createRestoreCleanupHandler({ storageGateway, ec2, now }: RestoreCleanupDependencies) {
  return stepHandler(
    async ({
      item,
      options,
      execution,
      created,
    }: RestoreTask & { created: RestoredVolume }): Promise<VolumeCleanup> => {
      const port = restoreTargetPort(
        options.target,
        { storageGateway, ec2 },
        { executionArn: execution.id, test: options.test },
      );
      const tags = await port.tags(created.volumeId);
      if (!options.test || !isOwnTestVolume(tags, execution.id, item.sourceVolumeArn)) {
        throw new NotOursToDeleteError(`${created.volumeId} does not carry the tags of this restore test: not deleted`);
      }
      await port.delete(created.volumeId);
      logger.info('Restored volume deleted', { volumeId: created.volumeId });
      return { deleted: created.volumeId, deletedAt: new Date(now()).toISOString() };
    },
  );
}

export const handler = createRestoreCleanupHandler({
  storageGateway: createStorageGatewayClient(),
  ec2: createEc2Client(),
  now: Date.now,
});
