import * as z from 'zod';
import type { CachedVolumeRecord } from './restore-state.ts';
import type { OperationContext } from './service.ts';
import type { GatewayRecord } from './state.ts';
import { findGateway, invalidRequest, requireCached, validate } from './storage-gateway-operations.ts';

/**
 * Restore (issue 14): the Storage Gateway calls that create, describe and delete cached volumes, and describe a
 * gateway as a restore target. Shapes and constraints of the Storage Gateway 2013-06-30 model; errors are
 * `InvalidGatewayRequestException` with the model's `error.errorCode`.
 */

type JsonObject = Readonly<Record<string, unknown>>;

const GatewayArn = z.string().min(50).max(500);
const VolumeArn = z.string().min(50).max(500);
const Tag = z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) });

// TargetName: 1–200 characters of `^[-\.;a-z0-9]+$` (API reference, CreateCachediSCSIVolume).
const TARGET_NAME = /^[-.;a-z0-9]+$/;
const CreateCachediSCSIVolumeInput = z.object({
  GatewayARN: GatewayArn,
  VolumeSizeInBytes: z.int(),
  SnapshotId: z
    .string()
    .regex(/^snap-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$/)
    .optional(),
  TargetName: z.string().min(1).max(200),
  SourceVolumeARN: VolumeArn.optional(),
  NetworkInterfaceId: z.string(),
  ClientToken: z.string().min(5).max(100),
  KMSEncrypted: z.boolean().optional(),
  KMSKey: z.string().min(7).max(2048).optional(),
  Tags: z.array(Tag).max(50).optional(),
});
const GatewayInput = z.object({ GatewayARN: GatewayArn });
const DeleteVolumeInput = z.object({ VolumeARN: VolumeArn });
const ListTagsInput = z.object({ ResourceARN: z.string().min(50).max(500) });

/** Storage Gateway's `CreateCachediSCSIVolume`. */
export function createCachediSCSIVolume(params: JsonObject, context: OperationContext): JsonObject {
  const input = validate(CreateCachediSCSIVolumeInput, params);
  const { state } = context;
  const restores = state.restores;
  // A retry with the same token and the same request is answered with the volume it made; another request
  // under that token is refused ("If you retry a request, use the same ClientToken you specified in the initial
  // request", API reference).
  const request = JSON.stringify({ ...input, ClientToken: undefined });
  const earlier = restores.cachedByToken(input.ClientToken);
  if (earlier) {
    if (earlier.request !== request) {
      throw invalidRequest(
        'InvalidParameters',
        `The ClientToken ${input.ClientToken} was already used with different parameters.`,
      );
    }
    return { VolumeARN: earlier.arn, TargetARN: earlier.targetArn };
  }
  const gateway = requireCached(findGateway(input.GatewayARN, state.gateway(input.GatewayARN)));
  const target = gateway.restoreTarget;
  if (target.state !== 'RUNNING')
    throw invalidRequest('GatewayNotConnected', `The gateway ${gateway.arn} is not connected.`);
  if (!TARGET_NAME.test(input.TargetName)) {
    throw invalidRequest(
      'TargetInvalid',
      `The target name ${input.TargetName} is not valid: use lowercase letters, numbers, periods and hyphens.`,
    );
  }
  if (!target.networkInterfaces.includes(input.NetworkInterfaceId)) {
    throw invalidRequest(
      'InvalidParameters',
      `NetworkInterfaceId ${input.NetworkInterfaceId} is not a network interface of the gateway.`,
    );
  }
  if (targetNamesOf(gateway, context).includes(input.TargetName)) {
    throw invalidRequest('TargetAlreadyExists', `The target name ${input.TargetName} already exists on the gateway.`);
  }
  if (target.cacheBytes <= 0) throw invalidRequest('NoDisksAvailable', 'The gateway has no cache disk configured.');
  if (target.cacheFull) {
    throw invalidRequest(
      'LocalStorageLimitExceeded',
      'The cache disk of the gateway is full: no volume can be created.',
    );
  }
  if (gateway.volumes.length + restores.cachedVolumes(gateway.arn).length >= 32) {
    throw invalidRequest('MaximumVolumeCountExceeded', 'The gateway already has the most volumes it can hold (32).');
  }
  if (input.SnapshotId !== undefined) {
    const snapshot = state.snapshot(input.SnapshotId);
    if (!snapshot) throw invalidRequest('SnapshotNotFound', `The snapshot ${input.SnapshotId} was not found.`);
    if (input.VolumeSizeInBytes < snapshot.volume.sizeBytes) {
      throw invalidRequest(
        'InvalidParameters',
        `VolumeSizeInBytes ${input.VolumeSizeInBytes} is smaller than the snapshot's volume (${snapshot.volume.sizeBytes}).`,
      );
    }
  }
  const id = `vol-${restores.nextId(8).toUpperCase()}`;
  const now = context.now();
  const volume: CachedVolumeRecord = {
    arn: `${gateway.arn}/volume/${id}`,
    id,
    gatewayArn: gateway.arn,
    targetName: input.TargetName,
    targetArn: `${gateway.arn}/target/iqn.1997-05.com.amazon:${input.TargetName}`,
    snapshotId: input.SnapshotId,
    sizeBytes: input.VolumeSizeInBytes,
    networkInterfaceId: input.NetworkInterfaceId,
    kmsKey: input.KMSKey,
    tags: Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value])),
    createdAt: now,
    availableAt: now + context.restoreTimings.cachedVolumeMs,
    request,
  };
  restores.addCached(volume, input.ClientToken);
  return { VolumeARN: volume.arn, TargetARN: volume.targetArn };
}

/** The `CachediSCSIVolume` of a restored volume, as DescribeCachediSCSIVolumes answers it. */
export function restoredVolumeInfo(volume: CachedVolumeRecord, now: number): JsonObject {
  const available = now >= volume.availableAt;
  return {
    VolumeARN: volume.arn,
    VolumeId: volume.id,
    VolumeType: 'CACHED iSCSI',
    VolumeStatus: available ? 'AVAILABLE' : 'CREATING',
    VolumeAttachmentStatus: 'ATTACHED',
    VolumeSizeInBytes: volume.sizeBytes,
    ...(volume.snapshotId ? { SourceSnapshotId: volume.snapshotId } : {}),
    VolumeiSCSIAttributes: {
      TargetARN: volume.targetArn,
      NetworkInterfaceId: volume.networkInterfaceId,
      NetworkInterfacePort: 3260,
      LunNumber: 0,
      ChapEnabled: false,
    },
    VolumeUsedInBytes: 0,
    ...(volume.kmsKey ? { KMSKey: volume.kmsKey } : {}),
    TargetName: volume.targetName,
    CreatedDate: volume.createdAt / 1000,
  };
}

/** Storage Gateway's `DeleteVolume`: a restored volume or a fleet volume goes. */
export function deleteVolume(params: JsonObject, { state, now }: OperationContext): JsonObject {
  const input = validate(DeleteVolumeInput, params);
  if (state.restores.deleteCached(input.VolumeARN, now())) return { VolumeARN: input.VolumeARN };
  const volume = state.volume(input.VolumeARN);
  if (!volume) throw invalidRequest('VolumeNotFound', `The specified volume was not found: ${input.VolumeARN}`);
  state.deleteFleetVolume(volume, now());
  return { VolumeARN: input.VolumeARN };
}

/** Storage Gateway's `ListTagsForResource`, for restored volumes (fleet volumes carry no tags). */
export function listTagsForResource(params: JsonObject, { state }: OperationContext): JsonObject {
  const input = validate(ListTagsInput, params);
  const restored = state.restores.cachedVolume(input.ResourceARN);
  if (!restored && !state.volume(input.ResourceARN) && !state.gateway(input.ResourceARN)) {
    throw invalidRequest('InvalidParameters', `The resource ${input.ResourceARN} was not found.`);
  }
  const tags = Object.entries(restored?.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  return { ResourceARN: input.ResourceARN, Tags: tags };
}

/** Storage Gateway's `DescribeGatewayInformation`. */
export function describeGatewayInformation(params: JsonObject, { state }: OperationContext): JsonObject {
  const input = validate(GatewayInput, params);
  const gateway = findGateway(input.GatewayARN, state.gateway(input.GatewayARN));
  return {
    GatewayARN: gateway.arn,
    GatewayId: gateway.id,
    GatewayName: gateway.name,
    GatewayType: gateway.type,
    GatewayState: gateway.restoreTarget.state,
    GatewayNetworkInterfaces: gateway.restoreTarget.networkInterfaces.map((Ipv4Address) => ({ Ipv4Address })),
    HostEnvironment: 'VMWARE',
  };
}

/** Storage Gateway's `DescribeCache`. */
export function describeCache(params: JsonObject, { state }: OperationContext): JsonObject {
  const input = validate(GatewayInput, params);
  const gateway = requireCached(findGateway(input.GatewayARN, state.gateway(input.GatewayARN)));
  const { cacheBytes, cacheFull } = gateway.restoreTarget;
  return {
    GatewayARN: gateway.arn,
    DiskIds: cacheBytes > 0 ? [`${gateway.id}-cache-0`] : [],
    CacheAllocatedInBytes: cacheBytes,
    CacheUsedPercentage: cacheFull ? 100 : 0,
    CacheDirtyPercentage: 0,
    CacheHitPercentage: 0,
    CacheMissPercentage: 0,
  };
}

/** Storage Gateway's `DescribeUploadBuffer`. */
export function describeUploadBuffer(params: JsonObject, { state }: OperationContext): JsonObject {
  const input = validate(GatewayInput, params);
  const gateway = findGateway(input.GatewayARN, state.gateway(input.GatewayARN));
  const bytes = gateway.restoreTarget.uploadBufferBytes;
  return {
    GatewayARN: gateway.arn,
    DiskIds: bytes > 0 ? [`${gateway.id}-buffer-0`] : [],
    UploadBufferUsedInBytes: 0,
    UploadBufferAllocatedInBytes: bytes,
  };
}

function targetNamesOf(gateway: GatewayRecord, { state }: OperationContext): string[] {
  return state.restores.cachedVolumes(gateway.arn).map((v) => v.targetName);
}
