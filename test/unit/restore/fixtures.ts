import type { ManifestGatewayInput, RestoreOptions } from '../../../src/restore/schema.ts';

export const GATEWAY_A = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-AAAA0001';
export const GATEWAY_B = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-BBBB0001';
export const DR = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-DDDD0001';
export const volume = (gateway: string, id: string) => `${gateway}/volume/${id}`;
export const EXECUTION = 'arn:aws:states:us-east-1:111122223333:execution:sgw-recovery-restore:drill-1';
export const GIB = 2 ** 30;

/** Two gateways: three volumes with snapshots (one without a size), one without a snapshot. */
export const MANIFEST: ManifestGatewayInput[] = [
  {
    gatewayArn: GATEWAY_A,
    volumes: [
      { volumeArn: volume(GATEWAY_A, 'vol-0000000A'), snapshotId: 'snap-0000000a', sizeBytes: 100 * GIB },
      { volumeArn: volume(GATEWAY_A, 'vol-0000000B'), snapshotId: null, reason: 'below-min-usage' },
    ],
  },
  {
    gatewayArn: GATEWAY_B,
    volumes: [
      { volumeArn: volume(GATEWAY_B, 'vol-0000000C'), snapshotId: 'snap-0000000c', sizeBytes: 200 * GIB },
      { volumeArn: volume(GATEWAY_B, 'vol-0000000D'), snapshotId: 'snap-0000000d' },
    ],
  },
];

export const GATEWAY_TARGET = { gateway: { gatewayArn: DR, networkInterfaceId: '10.0.0.5' } };

export const OPTIONS: RestoreOptions = {
  target: GATEWAY_TARGET,
  test: true,
  check: false,
  maxConcurrency: 10,
  checkIntervalSeconds: 60,
  waitTimeoutMinutes: 60,
};
