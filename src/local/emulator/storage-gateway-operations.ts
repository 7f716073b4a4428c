import * as z from 'zod';
import { paginate } from '../http/paging.ts';
import { AwsError } from './errors.ts';
import { restoredVolumeInfo } from './restore-operations.ts';
import type { CachedVolumeRecord } from './restore-state.ts';
import type { OperationContext } from './service.ts';
import type { GatewayRecord, VolumeRecord } from './state.ts';

// Storage Gateway's error for bad requests; `error.errorCode` says which.
const INVALID_GATEWAY_REQUEST = 'InvalidGatewayRequestException';

// Largest page ListGateways and ListVolumes answer, whatever `Limit` asks for.
const MAX_PAGE_SIZE = 100;
const MAX_SNAPSHOT_TAGS = 50;

// Shapes and constraints of the Storage Gateway 2013-06-30 model.
const GatewayArn = z.string().min(50).max(500);
const VolumeArn = z
  .string()
  .min(50)
  .max(500)
  .regex(
    /^arn:aws(|-cn|-us-gov|-iso[A-Za-z0-9_-]*|-eusc):storagegateway:[a-z\-0-9]+:[0-9]+:gateway\/.+\/volume\/vol-\S+$/,
  );
const Marker = z.string().min(1).max(2000);
const Limit = z.int().min(1);
const Tag = z.object({
  Key: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u),
  Value: z.string().max(256),
});

const ListGatewaysInput = z.object({ Marker: Marker.optional(), Limit: Limit.optional() });
const ListVolumesInput = z.object({
  GatewayARN: GatewayArn.optional(),
  Marker: Marker.optional(),
  Limit: Limit.optional(),
});
const ListVolumeRecoveryPointsInput = z.object({ GatewayARN: GatewayArn });
const CreateSnapshotInput = z.object({
  VolumeARN: VolumeArn,
  SnapshotDescription: z.string().min(1).max(255),
  Tags: z.array(Tag).max(MAX_SNAPSHOT_TAGS).optional(),
});
const DescribeCachediSCSIVolumesInput = z.object({ VolumeARNs: z.array(VolumeArn) });

type JsonObject = Readonly<Record<string, unknown>>;

export function invalidRequest(errorCode: string, message: string): AwsError {
  return new AwsError(INVALID_GATEWAY_REQUEST, message, errorCode);
}

/** Storage Gateway's `ListGateways`. */
export function listGateways(params: JsonObject, { state }: OperationContext): JsonObject {
  const input = validate(ListGatewaysInput, params);
  const page = pageOf(state.gateways, input.Limit, input.Marker);
  return { Gateways: page.items.map(gatewayInfo), Marker: page.next };
}

/** Storage Gateway's `ListVolumes`. */
export function listVolumes(params: JsonObject, { state }: OperationContext): JsonObject {
  const input = validate(ListVolumesInput, params);
  const gateways =
    input.GatewayARN === undefined ? state.gateways : [findGateway(input.GatewayARN, state.gateway(input.GatewayARN))];
  // Restore (issue 14): the volumes restores made are the gateways' volumes too.
  const restored = gateways.flatMap((g) =>
    state.restores.cachedVolumes(g.arn).map((v) => restoredVolumeListInfo(v, g)),
  );
  const page = pageOf([...gateways.flatMap((g) => g.volumes).map(volumeInfo), ...restored], input.Limit, input.Marker);
  return { GatewayARN: input.GatewayARN, Marker: page.next, VolumeInfos: page.items };
}

/** Storage Gateway's `ListVolumeRecoveryPoints`. */
export function listVolumeRecoveryPoints(params: JsonObject, { state }: OperationContext): JsonObject {
  const input = validate(ListVolumeRecoveryPointsInput, params);
  const gateway = requireCached(findGateway(input.GatewayARN, state.gateway(input.GatewayARN)));
  return {
    GatewayARN: gateway.arn,
    VolumeRecoveryPointInfos: gateway.volumes.map((v) => ({
      VolumeARN: v.arn,
      VolumeSizeInBytes: v.sizeBytes,
      VolumeUsageInBytes: v.usageBytes,
      VolumeRecoveryPointTime: v.recoveryPointTime,
    })),
  };
}

/** Storage Gateway's `CreateSnapshotFromVolumeRecoveryPoint`. */
export function createSnapshotFromVolumeRecoveryPoint(params: JsonObject, context: OperationContext): JsonObject {
  const input = validate(CreateSnapshotInput, params);
  const volume = findVolume(input.VolumeARN, context);
  requireCached(volume.gateway);
  const snapshot = context.state.createSnapshot(
    volume,
    input.SnapshotDescription,
    input.Tags ?? [],
    context.now(),
    context.snapshotCompletionMs,
    context.snapshotVisibilityLagMs,
  );
  return {
    SnapshotId: snapshot.snapshotId,
    VolumeARN: volume.arn,
    VolumeRecoveryPointTime: snapshot.recoveryPointTime,
  };
}

/** Storage Gateway's `DescribeCachediSCSIVolumes`. */
export function describeCachediSCSIVolumes(params: JsonObject, context: OperationContext): JsonObject {
  const input = validate(DescribeCachediSCSIVolumesInput, params);
  // Restore (issue 14): a restored volume is described as it stands now.
  const restored = new Map(
    input.VolumeARNs.flatMap((arn) => {
      const volume = context.state.restores.cachedVolume(arn);
      return volume ? [[arn, restoredVolumeInfo(volume, context.now())] as const] : [];
    }),
  );
  const volumes = input.VolumeARNs.filter((arn) => !restored.has(arn)).map((arn) => findVolume(arn, context));
  for (const volume of volumes) requireCached(volume.gateway);
  return {
    CachediSCSIVolumes: [
      ...restored.values(),
      ...volumes.map((v) => ({
        VolumeARN: v.arn,
        VolumeId: v.id,
        VolumeType: 'CACHED iSCSI',
        VolumeStatus: 'AVAILABLE',
        VolumeAttachmentStatus: 'ATTACHED',
        VolumeSizeInBytes: v.sizeBytes,
        VolumeUsedInBytes: v.usageBytes,
      })),
    ],
  };
}

function gatewayInfo(gateway: GatewayRecord): JsonObject {
  return {
    GatewayId: gateway.id,
    GatewayARN: gateway.arn,
    GatewayType: gateway.type,
    GatewayOperationalState: 'ACTIVE',
    GatewayName: gateway.name,
    HostEnvironment: 'VMWARE',
  };
}

function restoredVolumeListInfo(volume: CachedVolumeRecord, gateway: GatewayRecord): JsonObject {
  return {
    VolumeARN: volume.arn,
    VolumeId: volume.id,
    GatewayARN: gateway.arn,
    GatewayId: gateway.id,
    VolumeType: 'CACHED iSCSI',
    VolumeSizeInBytes: volume.sizeBytes,
    VolumeAttachmentStatus: 'ATTACHED',
  };
}

function volumeInfo(volume: VolumeRecord): JsonObject {
  return {
    VolumeARN: volume.arn,
    VolumeId: volume.id,
    GatewayARN: volume.gateway.arn,
    GatewayId: volume.gateway.id,
    VolumeType: `${volume.gateway.type} iSCSI`,
    VolumeSizeInBytes: volume.sizeBytes,
    VolumeAttachmentStatus: 'ATTACHED',
  };
}

function pageOf<T>(items: readonly T[], limit: number | undefined, marker: string | undefined) {
  const page = paginate(items, Math.min(limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE), marker);
  if (!page) throw invalidRequest('InvalidParameters', 'The specified marker is not valid.');
  return page;
}

export function findGateway(arn: string, gateway: GatewayRecord | undefined): GatewayRecord {
  if (!gateway) throw invalidRequest('GatewayNotFound', `The specified gateway was not found: ${arn}`);
  return gateway;
}

function findVolume(arn: string, { state }: OperationContext): VolumeRecord {
  const volume = state.volume(arn);
  if (!volume) throw invalidRequest('VolumeNotFound', `The specified volume was not found: ${arn}`);
  return volume;
}

export function requireCached(gateway: GatewayRecord): GatewayRecord {
  if (gateway.type !== 'CACHED') {
    throw invalidRequest('NotSupported', 'This operation is only supported in the cached volume gateway type.');
  }
  return gateway;
}

export function validate<T>(schema: z.ZodType<T>, params: JsonObject): T {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `Value at '${issue.path.join('.')}' failed to satisfy constraint: ${issue.message}`,
  );
  throw invalidRequest('InvalidParameters', `${problems.length} validation error(s) detected: ${problems.join('; ')}`);
}
