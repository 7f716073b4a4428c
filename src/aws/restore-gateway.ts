import {
  CreateCachediSCSIVolumeCommand,
  DeleteVolumeCommand,
  DescribeCacheCommand,
  DescribeCachediSCSIVolumesCommand,
  DescribeGatewayInformationCommand,
  type DescribeGatewayInformationCommandOutput,
  DescribeUploadBufferCommand,
  ListTagsForResourceCommand,
  paginateListVolumes,
  type StorageGatewayClient,
} from '@aws-sdk/client-storage-gateway';
import type { GatewayFacts } from '../restore/preflight.ts';

/** DescribeCachediSCSIVolumes takes this many ARNs per call in practice; we ask in pages of it. */
const DESCRIBE_BATCH = 20;

/** A cached volume as DescribeCachediSCSIVolumes tells it. */
export interface CachedVolumeView {
  volumeArn: string;
  status: string;
  sizeBytes: number;
  sourceSnapshotId?: string;
  targetName?: string;
  createdAt?: string;
}

/** The volumes of one gateway, described. */
export async function describeGatewayVolumes(
  client: StorageGatewayClient,
  gatewayArn: string,
): Promise<CachedVolumeView[]> {
  const arns: string[] = [];
  for await (const page of paginateListVolumes({ client }, { GatewayARN: gatewayArn })) {
    for (const info of page.VolumeInfos ?? []) if (info.VolumeARN) arns.push(info.VolumeARN);
  }
  const views: CachedVolumeView[] = [];
  for (let i = 0; i < arns.length; i += DESCRIBE_BATCH) {
    views.push(...(await describeExisting(client, arns.slice(i, i + DESCRIBE_BATCH))));
  }
  return views;
}

/**
 * The volumes of `volumeArns` that still exist: one deleted between the listing and the describe (another
 * restore test's cleanup) fails the whole call with `VolumeNotFound`, so the batch is asked again one by one.
 */
async function describeExisting(client: StorageGatewayClient, volumeArns: string[]): Promise<CachedVolumeView[]> {
  try {
    return await describeCachedVolumes(client, volumeArns);
  } catch (error) {
    if (errorCodeOf(error) !== 'VolumeNotFound') throw error;
  }
  const views: CachedVolumeView[] = [];
  for (const arn of volumeArns) {
    try {
      views.push(...(await describeCachedVolumes(client, [arn])));
    } catch (error) {
      if (errorCodeOf(error) !== 'VolumeNotFound') throw error;
    }
  }
  return views;
}

/** Storage Gateway's `error.errorCode` of an `InvalidGatewayRequestException`. */
function errorCodeOf(error: unknown): string | undefined {
  return (error as { error?: { errorCode?: string } }).error?.errorCode;
}

/** `DescribeCachediSCSIVolumes` of the given volumes. */
export async function describeCachedVolumes(
  client: StorageGatewayClient,
  volumeArns: string[],
): Promise<CachedVolumeView[]> {
  if (volumeArns.length === 0) return [];
  const { CachediSCSIVolumes = [] } = await client.send(
    new DescribeCachediSCSIVolumesCommand({ VolumeARNs: volumeArns }),
  );
  return CachediSCSIVolumes.map((v) => ({
    volumeArn: v.VolumeARN ?? '',
    status: v.VolumeStatus ?? '',
    sizeBytes: v.VolumeSizeInBytes ?? 0,
    ...(v.SourceSnapshotId ? { sourceSnapshotId: v.SourceSnapshotId } : {}),
    ...(v.TargetName ? { targetName: v.TargetName } : {}),
    ...(v.CreatedDate ? { createdAt: v.CreatedDate.toISOString() } : {}),
  }));
}

/** What the preflight needs to know of the target gateway; a refused describe is a fact too (`error`). */
export async function gatewayFacts(client: StorageGatewayClient, gatewayArn: string): Promise<GatewayFacts> {
  const empty = {
    gatewayArn,
    networkInterfaces: [],
    cacheAllocatedBytes: 0,
    uploadBufferAllocatedBytes: 0,
    volumeCount: 0,
    takenTargetNames: [],
  };
  let information: DescribeGatewayInformationCommandOutput;
  try {
    information = await client.send(new DescribeGatewayInformationCommand({ GatewayARN: gatewayArn }));
  } catch (error) {
    if ((error as Error).name !== 'InvalidGatewayRequestException') throw error;
    return { ...empty, error: describeServiceError(error) };
  }
  const type = information.GatewayType;
  const facts: GatewayFacts = {
    ...empty,
    ...(information.GatewayState ? { state: information.GatewayState } : { state: 'UNKNOWN' }),
    ...(type ? { type } : {}),
    networkInterfaces: (information.GatewayNetworkInterfaces ?? []).flatMap((n) =>
      [n.Ipv4Address, n.Ipv6Address].filter((a): a is string => Boolean(a)),
    ),
  };
  if (type !== 'CACHED') return facts;
  const [cache, buffer, volumes] = await Promise.all([
    client.send(new DescribeCacheCommand({ GatewayARN: gatewayArn })),
    client.send(new DescribeUploadBufferCommand({ GatewayARN: gatewayArn })),
    describeGatewayVolumes(client, gatewayArn),
  ]);
  return {
    ...facts,
    cacheAllocatedBytes: cache.CacheAllocatedInBytes ?? 0,
    ...(cache.CacheUsedPercentage === undefined ? {} : { cacheUsedPercent: cache.CacheUsedPercentage }),
    uploadBufferAllocatedBytes: buffer.UploadBufferAllocatedInBytes ?? 0,
    volumeCount: volumes.length,
    takenTargetNames: volumes.flatMap((v) => (v.targetName ? [v.targetName] : [])),
  };
}

export interface CreateCachedVolumeRequest {
  gatewayArn: string;
  snapshotId: string;
  sizeBytes: number;
  targetName: string;
  networkInterfaceId: string;
  clientToken: string;
  tags: Record<string, string>;
}

/** `CreateCachediSCSIVolume` from a snapshot. */
export async function createCachedVolume(
  client: StorageGatewayClient,
  request: CreateCachedVolumeRequest,
): Promise<{ volumeArn: string; targetArn?: string }> {
  const { VolumeARN, TargetARN } = await client.send(
    new CreateCachediSCSIVolumeCommand({
      GatewayARN: request.gatewayArn,
      SnapshotId: request.snapshotId,
      VolumeSizeInBytes: request.sizeBytes,
      TargetName: request.targetName,
      NetworkInterfaceId: request.networkInterfaceId,
      ClientToken: request.clientToken,
      Tags: Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  return { volumeArn: VolumeARN ?? '', ...(TargetARN ? { targetArn: TargetARN } : {}) };
}

/** The tags of a Storage Gateway resource. */
export async function tagsOfResource(
  client: StorageGatewayClient,
  resourceArn: string,
): Promise<Record<string, string>> {
  const { Tags = [] } = await client.send(new ListTagsForResourceCommand({ ResourceARN: resourceArn }));
  return Object.fromEntries(Tags.flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : [])));
}

/** `DeleteVolume` of a gateway volume. */
export async function deleteGatewayVolume(client: StorageGatewayClient, volumeArn: string): Promise<void> {
  await client.send(new DeleteVolumeCommand({ VolumeARN: volumeArn }));
}

/** `InvalidGatewayRequestException (GatewayNotFound): message` */
export function describeServiceError(error: unknown): string {
  const code = errorCodeOf(error);
  return `${(error as Error).name}${code ? ` (${code})` : ''}: ${(error as Error).message}`;
}
