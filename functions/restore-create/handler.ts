import { createEc2Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { type RestoreTargetClients, restoreTargetPort } from '../../src/aws/restore-target.ts';
import { createOnce } from '../../src/create-once/create-once.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import type { RestoredVolume, RestoreTask } from '../../src/restore/types.ts';

export interface RestoreCreateDependencies extends RestoreTargetClients {
  now: () => number;
}

/**
 * Creates one restored volume at most once: find (a volume this restore already made for the item: a retry
 * after a lost answer) → create (with the item's client token, so the service itself answers a retried create
 * with the first volume) → record (nothing: the tags go on with the create).
 */
export function createRestoreCreateHandler({ storageGateway, ec2, now }: RestoreCreateDependencies) {
  return stepHandler(async ({ item, options, execution }: RestoreTask): Promise<RestoredVolume> => {
    const port = restoreTargetPort(
      options.target,
      { storageGateway, ec2 },
      { executionArn: execution.id, test: options.test },
    );
    const requestedAt = new Date(now()).toISOString();
    const { status, resource } = await createOnce<Omit<RestoredVolume, 'status'>>({
      find: async () => {
        const found = await port.find(item);
        return found && { volumeId: found.volumeId, requestedAt: found.createdAt ?? requestedAt };
      },
      create: async () => ({ ...(await port.create(item)), requestedAt }),
      record: async () => {},
    });
    logger.info('Restored volume requested', { status, volumeId: resource.volumeId, snapshotId: item.snapshotId });
    return { ...resource, status };
  });
}

export const handler = createRestoreCreateHandler({
  storageGateway: createStorageGatewayClient(),
  ec2: createEc2Client(),
  now: Date.now,
});
