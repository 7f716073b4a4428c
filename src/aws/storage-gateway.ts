import {
  CreateSnapshotFromVolumeRecoveryPointCommand,
  DescribeGatewayInformationCommand,
  ListVolumeRecoveryPointsCommand,
  paginateListGateways,
  type StorageGatewayClient,
} from '@aws-sdk/client-storage-gateway';
import type { Tag } from '../snapshot/tags.ts';
import type { RecoveryPoint } from '../workflow/types.ts';

/** Only cached volume gateways have recovery points. */
export const CACHED_GATEWAY_TYPE = 'CACHED';

/** A cached gateway as `ListGateways` names it. */
export interface CachedGateway {
  gatewayArn: string;
  gatewayName?: string;
}

/** Every cached gateway of the account and Region, following `Marker` through all pages. */
export async function listCachedGateways(client: StorageGatewayClient): Promise<CachedGateway[]> {
  const gateways: CachedGateway[] = [];
  for await (const page of paginateListGateways({ client }, {})) {
    for (const { GatewayType, GatewayARN, GatewayName } of page.Gateways ?? []) {
      if (GatewayType === CACHED_GATEWAY_TYPE && GatewayARN) {
        gateways.push({ gatewayArn: GatewayARN, ...(GatewayName ? { gatewayName: GatewayName } : {}) });
      }
    }
  }
  return gateways;
}

/** ARNs of every cached gateway of the account and Region. */
export async function listCachedGatewayArns(client: StorageGatewayClient): Promise<string[]> {
  return (await listCachedGateways(client)).map((gateway) => gateway.gatewayArn);
}

/** The gateway's name (`DescribeGatewayInformation` → `GatewayName`), if it has one. */
export async function gatewayNameOf(client: StorageGatewayClient, gatewayArn: string): Promise<string | undefined> {
  const { GatewayName } = await client.send(new DescribeGatewayInformationCommand({ GatewayARN: gatewayArn }));
  return GatewayName || undefined;
}

/** The recovery point of each cached volume of one gateway. */
export async function listRecoveryPoints(client: StorageGatewayClient, gatewayArn: string): Promise<RecoveryPoint[]> {
  const { VolumeRecoveryPointInfos = [] } = await client.send(
    new ListVolumeRecoveryPointsCommand({ GatewayARN: gatewayArn }),
  );
  return VolumeRecoveryPointInfos.map((info) => ({
    volumeArn: info.VolumeARN ?? '',
    recoveryPointTime: info.VolumeRecoveryPointTime ?? '',
    sizeBytes: info.VolumeSizeInBytes ?? 0,
    ...(info.VolumeUsageInBytes === undefined ? {} : { usageBytes: info.VolumeUsageInBytes }),
  }));
}

export interface CreatedFromRecoveryPoint {
  snapshotId: string;
  /** The time of the point Storage Gateway used: the volume's current one. */
  recoveryPointTime: string;
}

/** `CreateSnapshotFromVolumeRecoveryPoint`; SDK errors pass through with their `name`. */
export async function createSnapshotFromRecoveryPoint(
  client: StorageGatewayClient,
  request: { volumeArn: string; description: string; tags: Tag[] },
): Promise<CreatedFromRecoveryPoint> {
  const response = await client.send(
    new CreateSnapshotFromVolumeRecoveryPointCommand({
      VolumeARN: request.volumeArn,
      SnapshotDescription: request.description,
      Tags: request.tags,
    }),
  );
  return { snapshotId: response.SnapshotId ?? '', recoveryPointTime: response.VolumeRecoveryPointTime ?? '' };
}
