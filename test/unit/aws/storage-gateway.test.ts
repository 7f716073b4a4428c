import {
  CreateSnapshotFromVolumeRecoveryPointCommand,
  InvalidGatewayRequestException,
  ListGatewaysCommand,
  type ListGatewaysCommandInput,
  type ListGatewaysCommandOutput,
  ListVolumeRecoveryPointsCommand,
  StorageGatewayClient,
} from '@aws-sdk/client-storage-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createSnapshotFromRecoveryPoint,
  listCachedGatewayArns,
  listRecoveryPoints,
} from '../../../src/aws/storage-gateway.ts';
import { GATEWAY_ARN, volumeArn } from '../../helpers/fixtures.ts';

const storageGateway = mockClient(StorageGatewayClient);
const client = new StorageGatewayClient({ region: 'us-east-1' });

function gatewayArn(id: string): string {
  return GATEWAY_ARN.replace('sgw-12A3456B', id);
}

beforeEach(() => storageGateway.reset());
afterAll(() => storageGateway.restore());

describe('listCachedGatewayArns', () => {
  it('follows Marker through every page and keeps only CACHED gateways', async () => {
    // Prepare: the SDK's paginator reuses one input object, so each call's Marker is recorded as it is sent.
    const pages: ListGatewaysCommandOutput[] = [
      {
        Gateways: [
          { GatewayARN: gatewayArn('sgw-0000000A'), GatewayType: 'CACHED' },
          { GatewayARN: gatewayArn('sgw-0000000B'), GatewayType: 'STORED' },
        ],
        Marker: 'page-2',
        $metadata: {},
      },
      {
        Gateways: [
          { GatewayARN: gatewayArn('sgw-0000000C'), GatewayType: 'FILE_S3' },
          { GatewayARN: gatewayArn('sgw-0000000D'), GatewayType: 'VTL' },
        ],
        Marker: 'page-3',
        $metadata: {},
      },
      { Gateways: [{ GatewayARN: gatewayArn('sgw-0000000E'), GatewayType: 'CACHED' }], $metadata: {} },
    ];
    const markers: Array<string | undefined> = [];
    storageGateway.on(ListGatewaysCommand).callsFake((input: ListGatewaysCommandInput) => {
      markers.push(input.Marker);
      return pages[markers.length - 1];
    });

    // Act
    const arns = await listCachedGatewayArns(client);

    // Assess
    expect(arns).toEqual([gatewayArn('sgw-0000000A'), gatewayArn('sgw-0000000E')]);
    expect(markers).toEqual([undefined, 'page-2', 'page-3']);
  });

  it('finds none in an account without gateways', async () => {
    // Prepare
    storageGateway.on(ListGatewaysCommand).resolves({});

    // Act
    const arns = await listCachedGatewayArns(client);

    // Assess
    expect(arns).toEqual([]);
    expect(storageGateway.commandCalls(ListGatewaysCommand)).toHaveLength(1);
  });
});

describe('listRecoveryPoints', () => {
  it('asks about one gateway and maps each point to our names, leaving unknown usage absent', async () => {
    // Prepare
    storageGateway.on(ListVolumeRecoveryPointsCommand).resolves({
      GatewayARN: GATEWAY_ARN,
      VolumeRecoveryPointInfos: [
        {
          VolumeARN: volumeArn('vol-1122AABB'),
          VolumeRecoveryPointTime: '2025-01-15T11:00:00.000Z',
          VolumeSizeInBytes: 536_870_912_000,
          VolumeUsageInBytes: 1_000,
        },
        {
          VolumeARN: volumeArn('vol-1122AABC'),
          VolumeRecoveryPointTime: '2025-01-15T10:00:00.000Z',
          VolumeSizeInBytes: 1_073_741_824,
        },
      ],
    });

    // Act
    const points = await listRecoveryPoints(client, GATEWAY_ARN);

    // Assess
    expect(storageGateway.commandCalls(ListVolumeRecoveryPointsCommand).map((c) => c.args[0].input)).toEqual([
      { GatewayARN: GATEWAY_ARN },
    ]);
    expect(points).toEqual([
      {
        volumeArn: volumeArn('vol-1122AABB'),
        recoveryPointTime: '2025-01-15T11:00:00.000Z',
        sizeBytes: 536_870_912_000,
        usageBytes: 1_000,
      },
      { volumeArn: volumeArn('vol-1122AABC'), recoveryPointTime: '2025-01-15T10:00:00.000Z', sizeBytes: 1_073_741_824 },
    ]);
    expect(points[1]).not.toHaveProperty('usageBytes');
  });

  it('keeps a usage of 0 as 0', async () => {
    // Prepare
    storageGateway.on(ListVolumeRecoveryPointsCommand).resolves({
      VolumeRecoveryPointInfos: [
        {
          VolumeARN: volumeArn('vol-1122AABB'),
          VolumeRecoveryPointTime: 'x',
          VolumeSizeInBytes: 1,
          VolumeUsageInBytes: 0,
        },
      ],
    });

    // Act
    const [point] = await listRecoveryPoints(client, GATEWAY_ARN);

    // Assess
    expect(point?.usageBytes).toBe(0);
  });

  it('gives a gateway without volumes no points', async () => {
    // Prepare
    storageGateway.on(ListVolumeRecoveryPointsCommand).resolves({ GatewayARN: GATEWAY_ARN });

    // Act
    const points = await listRecoveryPoints(client, GATEWAY_ARN);

    // Assess
    expect(points).toEqual([]);
  });
});

describe('createSnapshotFromRecoveryPoint', () => {
  it('sends the volume, description and tags and returns the time Storage Gateway used', async () => {
    // Prepare
    storageGateway
      .on(CreateSnapshotFromVolumeRecoveryPointCommand)
      .resolves({ SnapshotId: 'snap-0123456789abcdef0', VolumeRecoveryPointTime: '2025-01-15T11:30:00.000Z' });
    const tags = [{ Key: 'team', Value: 'storage' }];

    // Act
    const created = await createSnapshotFromRecoveryPoint(client, {
      volumeArn: volumeArn('vol-1122AABB'),
      description: 'nightly',
      tags,
    });

    // Assess
    expect(created).toEqual({ snapshotId: 'snap-0123456789abcdef0', recoveryPointTime: '2025-01-15T11:30:00.000Z' });
    expect(
      storageGateway.commandCalls(CreateSnapshotFromVolumeRecoveryPointCommand).map((c) => c.args[0].input),
    ).toEqual([{ VolumeARN: volumeArn('vol-1122AABB'), SnapshotDescription: 'nightly', Tags: tags }]);
  });

  it('lets an SDK error through with its name', async () => {
    // Prepare
    storageGateway
      .on(CreateSnapshotFromVolumeRecoveryPointCommand)
      .rejects(new InvalidGatewayRequestException({ message: 'volume not found', $metadata: {} }));

    // Act
    const act = createSnapshotFromRecoveryPoint(client, {
      volumeArn: volumeArn('vol-1122AABB'),
      description: 'd',
      tags: [],
    });

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidGatewayRequestException', message: 'volume not found' });
  });
});
