import type { EC2Client } from '@aws-sdk/client-ec2';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { RestoredVolumeUnusableError } from '../errors.ts';
import { gibOf } from '../restore/names.ts';
import type { RestoreTarget } from '../restore/schema.ts';
import { restoreTags } from '../restore/tags.ts';
import type { RestoreItem } from '../restore/types.ts';
import { cachedVolumePhase, ebsVolumePhase, type VolumePhase } from '../restore/volume-status.ts';
import { createEbsVolume, deleteEbsVolume, describeEbsVolume, findEbsVolumesTagged } from './restore-ebs.ts';
import {
  createCachedVolume,
  deleteGatewayVolume,
  describeCachedVolumes,
  describeGatewayVolumes,
  tagsOfResource,
} from './restore-gateway.ts';

/** A restored volume as its service describes it. */
export interface RestoredVolumeView {
  volumeId: string;
  status: string;
  phase: VolumePhase;
  sizeBytes: number;
  sourceSnapshotId?: string;
  createdAt?: string;
}

/** The calls a restore makes on its target, one kind of target behind one shape. */
export interface RestoreTargetPort {
  /** The volume this restore already made for `item`, if any (a retry after a lost answer). */
  find(item: RestoreItem): Promise<RestoredVolumeView | undefined>;
  /** Creates the volume of `item`, tagged as this restore's, with its client token. */
  create(item: RestoreItem): Promise<{ volumeId: string; targetArn?: string }>;
  describe(volumeId: string): Promise<RestoredVolumeView>;
  tags(volumeId: string): Promise<Record<string, string>>;
  delete(volumeId: string): Promise<void>;
}

export interface RestoreTargetClients {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
}

/** The port of `target` for the restore execution `executionArn`. */
export function restoreTargetPort(
  target: RestoreTarget,
  clients: RestoreTargetClients,
  restore: { executionArn: string; test: boolean },
): RestoreTargetPort {
  const tagsOf = (item: RestoreItem) => restoreTags(restore.executionArn, item.sourceVolumeArn, restore.test);
  if ('gateway' in target) {
    const { gatewayArn, networkInterfaceId } = target.gateway;
    const client = clients.storageGateway;
    const view = (v: Awaited<ReturnType<typeof describeCachedVolumes>>[number]): RestoredVolumeView => ({
      volumeId: v.volumeArn,
      status: v.status,
      phase: cachedVolumePhase(v.status),
      sizeBytes: v.sizeBytes,
      ...(v.sourceSnapshotId ? { sourceSnapshotId: v.sourceSnapshotId } : {}),
      ...(v.createdAt ? { createdAt: v.createdAt } : {}),
    });
    return {
      async find(item) {
        // The target name is this restore's own (the preflight found it free), and the source snapshot confirms it.
        const volumes = await describeGatewayVolumes(client, gatewayArn);
        const found = volumes.find((v) => v.targetName === item.targetName && v.sourceSnapshotId === item.snapshotId);
        return found && view(found);
      },
      create: async (item) => {
        const created = await createCachedVolume(client, {
          gatewayArn,
          snapshotId: item.snapshotId,
          sizeBytes: item.sizeBytes,
          targetName: item.targetName,
          networkInterfaceId,
          clientToken: item.clientToken,
          tags: tagsOf(item),
        });
        return { volumeId: created.volumeArn, ...(created.targetArn ? { targetArn: created.targetArn } : {}) };
      },
      async describe(volumeArn) {
        const [found] = await describeCachedVolumes(client, [volumeArn]);
        if (!found) throw new RestoredVolumeUnusableError(`DescribeCachediSCSIVolumes did not describe ${volumeArn}`);
        return view(found);
      },
      tags: (volumeArn) => tagsOfResource(client, volumeArn),
      delete: (volumeArn) => deleteGatewayVolume(client, volumeArn),
    };
  }
  const { availabilityZone } = target.ebs;
  const client = clients.ec2;
  const view = (v: Awaited<ReturnType<typeof describeEbsVolume>>): RestoredVolumeView => ({
    volumeId: v.volumeId,
    status: v.state,
    phase: ebsVolumePhase(v.state),
    sizeBytes: v.sizeGib * 2 ** 30,
    ...(v.snapshotId ? { sourceSnapshotId: v.snapshotId } : {}),
    ...(v.createdAt ? { createdAt: v.createdAt } : {}),
  });
  return {
    async find(item) {
      const [found] = (await findEbsVolumesTagged(client, tagsOf(item))).filter((v) => v.state !== 'deleting');
      return found && view(found);
    },
    create: async (item) => {
      const created = await createEbsVolume(client, {
        snapshotId: item.snapshotId,
        availabilityZone,
        sizeGib: gibOf(item.sizeBytes),
        clientToken: item.clientToken,
        tags: tagsOf(item),
      });
      return { volumeId: created.volumeId };
    },
    describe: async (volumeId) => view(await describeEbsVolume(client, volumeId)),
    tags: async (volumeId) => (await describeEbsVolume(client, volumeId)).tags,
    delete: (volumeId) => deleteEbsVolume(client, volumeId),
  };
}
