import {
  CreateSnapshotFromVolumeRecoveryPointCommand,
  DescribeCachediSCSIVolumesCommand,
  ListGatewaysCommand,
  ListVolumeRecoveryPointsCommand,
  ListVolumesCommand,
  paginateListGateways,
} from '@aws-sdk/client-storage-gateway';
import { UNKNOWN_RESOURCE } from '../../../../src/local/emulator/index.ts';
import { generateFleet } from '../../../../src/local/fleet.ts';
import {
  CACHED_GATEWAY_ARN,
  FILE_GATEWAY_ARN,
  type RunningEmulator,
  rejectionOf,
  STORED_GATEWAY_ARN,
  STORED_VOLUME_ARN,
  startEmulator,
  TEST_START,
  UNUSED_VOLUME_ARN,
  VOLUME_ARN,
} from '../../../helpers/emulator.ts';

const MINUTE = 60_000;

describe('Storage Gateway operations', () => {
  let running: RunningEmulator;

  beforeEach(async () => {
    running = await startEmulator();
  });

  afterEach(async () => {
    await running.stop();
  });

  describe('ListGateways', () => {
    it('lists every gateway with its ARN, id, name, type and state', async () => {
      // Act
      const { Gateways, Marker } = await running.sgw.send(new ListGatewaysCommand({}));

      // Assess
      expect(Marker).toBeUndefined();
      expect(Gateways).toEqual([
        expect.objectContaining({
          GatewayARN: CACHED_GATEWAY_ARN,
          GatewayId: 'sgw-12A3456B',
          GatewayName: 'cached-1',
          GatewayType: 'CACHED',
          GatewayOperationalState: 'ACTIVE',
        }),
        expect.objectContaining({ GatewayARN: STORED_GATEWAY_ARN, GatewayType: 'STORED' }),
        expect.objectContaining({ GatewayARN: FILE_GATEWAY_ARN, GatewayType: 'FILE_S3' }),
      ]);
    });

    it('pages with Limit and Marker', async () => {
      // Act
      const pages = [];
      for await (const page of paginateListGateways({ client: running.sgw, pageSize: 2 }, {})) pages.push(page);

      // Assess
      expect(pages.map((p) => p.Gateways?.map((g) => g.GatewayId))).toEqual([
        ['sgw-12A3456B', 'sgw-23B4567C'],
        ['sgw-34C5678D'],
      ]);
    });

    it('answers at most 100 gateways a page, whatever Limit asks', async () => {
      // Prepare
      const big = await startEmulator({ fleet: generateFleet({ gateways: 150, volumesPerGateway: 0 }) });

      // Act
      const response = await big.sgw.send(new ListGatewaysCommand({ Limit: 500 }));
      await big.stop();

      // Assess
      expect(response.Gateways).toHaveLength(100);
      expect(response.Marker).toEqual(expect.any(String));
    });

    it.each([
      ['a Limit below 1', { Limit: 0 }],
      ['a marker it did not give', { Marker: 'bogus' }],
    ])('rejects %s as InvalidParameters', async (_case, input) => {
      // Act
      const error = await rejectionOf(running.sgw.send(new ListGatewaysCommand(input)));

      // Assess
      expect(error).toMatchObject({
        name: 'InvalidGatewayRequestException',
        error: { errorCode: 'InvalidParameters' },
      });
    });
  });

  describe('ListVolumeRecoveryPoints', () => {
    it('answers each volume of a cached gateway with its size, usage and recovery point time', async () => {
      // Act
      const response = await running.sgw.send(new ListVolumeRecoveryPointsCommand({ GatewayARN: CACHED_GATEWAY_ARN }));

      // Assess
      expect(response.GatewayARN).toBe(CACHED_GATEWAY_ARN);
      expect(response.VolumeRecoveryPointInfos).toEqual([
        {
          VolumeARN: VOLUME_ARN,
          VolumeSizeInBytes: 536_870_912_000,
          VolumeUsageInBytes: 1_000,
          VolumeRecoveryPointTime: new Date(TEST_START - 30 * MINUTE).toISOString(),
        },
        // No usage in the fleet: the key is absent, as for volumes created before May 2015.
        { VolumeARN: UNUSED_VOLUME_ARN, VolumeSizeInBytes: 1_500_000_000, VolumeRecoveryPointTime: 'not a time' },
      ]);
    });

    it.each([
      ['a stored gateway', STORED_GATEWAY_ARN, 'NotSupported'],
      ['a file gateway', FILE_GATEWAY_ARN, 'NotSupported'],
      ['an unknown gateway', CACHED_GATEWAY_ARN.replace('sgw-12A3456B', 'sgw-FFFFFFFF'), 'GatewayNotFound'],
    ])('refuses %s', async (_case, GatewayARN, errorCode) => {
      // Act
      const error = await rejectionOf(running.sgw.send(new ListVolumeRecoveryPointsCommand({ GatewayARN })));

      // Assess
      expect(error).toMatchObject({ name: 'InvalidGatewayRequestException', error: { errorCode } });
      expect(error.$metadata?.httpStatusCode).toBe(400);
    });

    it('rejects a gateway ARN shorter than 50 characters', async () => {
      // Act
      const error = await rejectionOf(
        running.sgw.send(new ListVolumeRecoveryPointsCommand({ GatewayARN: 'arn:short' })),
      );

      // Assess
      expect(error).toMatchObject({
        error: { errorCode: 'InvalidParameters' },
        message: expect.stringContaining('GatewayARN'),
      });
    });
  });

  describe('CreateSnapshotFromVolumeRecoveryPoint', () => {
    it('snapshots the current recovery point and answers a 17-digit snapshot id', async () => {
      // Prepare
      const moved = running.emulator.advanceRecoveryPoint(VOLUME_ARN);

      // Act
      const response = await running.sgw.send(
        new CreateSnapshotFromVolumeRecoveryPointCommand({
          VolumeARN: VOLUME_ARN,
          SnapshotDescription: 'nightly',
          Tags: [{ Key: 'team', Value: 'storage' }],
        }),
      );

      // Assess
      expect(response.SnapshotId).toMatch(/^snap-[0-9a-f]{17}$/);
      expect(response).toMatchObject({ VolumeARN: VOLUME_ARN, VolumeRecoveryPointTime: moved });
      expect(moved).toBe(new Date(TEST_START).toISOString());
      expect(running.emulator.snapshots()).toEqual([
        expect.objectContaining({
          snapshotId: response.SnapshotId,
          volumeArn: VOLUME_ARN,
          gatewayArn: CACHED_GATEWAY_ARN,
          recoveryPointTime: moved,
          description: 'nightly',
          tags: { team: 'storage' },
          state: 'completed',
        }),
      ]);
    });

    it.each([
      ['an empty description', { SnapshotDescription: '' }],
      ['a description over 255 characters', { SnapshotDescription: 'x'.repeat(256) }],
      ['51 tags', { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }],
      ['a tag key over 128 characters', { Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }],
      ['a tag value over 256 characters', { Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }],
      ['a malformed volume ARN', { VolumeARN: `${CACHED_GATEWAY_ARN}/volume/disk-1` }],
    ])('rejects %s as InvalidParameters and makes nothing', async (_case, override) => {
      // Act
      const error = await rejectionOf(
        running.sgw.send(
          new CreateSnapshotFromVolumeRecoveryPointCommand({
            VolumeARN: VOLUME_ARN,
            SnapshotDescription: 'd',
            ...override,
          }),
        ),
      );

      // Assess
      expect(error).toMatchObject({
        name: 'InvalidGatewayRequestException',
        error: { errorCode: 'InvalidParameters' },
      });
      expect(running.emulator.snapshots()).toEqual([]);
    });

    it.each([
      ['an unknown volume', VOLUME_ARN.replace('vol-1122AABB', 'vol-FFFFFFFF'), 'VolumeNotFound'],
      ['a stored volume', STORED_VOLUME_ARN, 'NotSupported'],
    ])('refuses %s', async (_case, VolumeARN, errorCode) => {
      // Act
      const error = await rejectionOf(
        running.sgw.send(new CreateSnapshotFromVolumeRecoveryPointCommand({ VolumeARN, SnapshotDescription: 'd' })),
      );

      // Assess
      expect(error).toMatchObject({ name: 'InvalidGatewayRequestException', error: { errorCode } });
    });
  });

  describe('ListVolumes', () => {
    it('lists the volumes of a gateway in pages', async () => {
      // Act
      const first = await running.sgw.send(new ListVolumesCommand({ GatewayARN: CACHED_GATEWAY_ARN, Limit: 1 }));
      const second = await running.sgw.send(
        new ListVolumesCommand({ GatewayARN: CACHED_GATEWAY_ARN, Limit: 1, Marker: first.Marker }),
      );

      // Assess
      expect(first.VolumeInfos).toEqual([
        expect.objectContaining({
          VolumeARN: VOLUME_ARN,
          VolumeId: 'vol-1122AABB',
          GatewayId: 'sgw-12A3456B',
          VolumeType: 'CACHED iSCSI',
          VolumeSizeInBytes: 536_870_912_000,
        }),
      ]);
      expect(second.VolumeInfos?.map((v) => v.VolumeARN)).toEqual([UNUSED_VOLUME_ARN]);
      expect(second.Marker).toBeUndefined();
    });
  });

  describe('DescribeCachediSCSIVolumes', () => {
    it('describes cached volumes, with their used bytes when known', async () => {
      // Act
      const { CachediSCSIVolumes } = await running.sgw.send(
        new DescribeCachediSCSIVolumesCommand({ VolumeARNs: [VOLUME_ARN, UNUSED_VOLUME_ARN] }),
      );

      // Assess
      expect(CachediSCSIVolumes).toEqual([
        expect.objectContaining({ VolumeARN: VOLUME_ARN, VolumeUsedInBytes: 1_000, VolumeStatus: 'AVAILABLE' }),
        expect.not.objectContaining({ VolumeUsedInBytes: expect.anything() }),
      ]);
    });
  });

  describe('helpers', () => {
    it('moves a recovery point to the time given, even one that does not parse', async () => {
      // Act
      running.emulator.advanceRecoveryPoint(VOLUME_ARN, 'garbage');
      const { VolumeRecoveryPointInfos } = await running.sgw.send(
        new ListVolumeRecoveryPointsCommand({ GatewayARN: CACHED_GATEWAY_ARN }),
      );

      // Assess
      expect(VolumeRecoveryPointInfos?.[0]?.VolumeRecoveryPointTime).toBe('garbage');
    });

    it('names an unknown volume', () => {
      // Act
      const act = () => running.emulator.advanceRecoveryPoint(`${CACHED_GATEWAY_ARN}/volume/vol-00000000`);

      // Assess
      expect(act).toThrow(expect.objectContaining({ name: UNKNOWN_RESOURCE }));
    });

    it('records every call with its parameters, status and error, until reset', async () => {
      // Prepare
      await running.sgw.send(new ListGatewaysCommand({ Limit: 5 }));
      await rejectionOf(running.sgw.send(new ListVolumeRecoveryPointsCommand({ GatewayARN: STORED_GATEWAY_ARN })));

      // Act
      const recorded = [...running.emulator.calls];
      running.emulator.resetCalls();

      // Assess
      expect(recorded).toEqual([
        { operation: 'ListGateways', params: { Limit: 5 }, status: 200, error: undefined, time: TEST_START },
        {
          operation: 'ListVolumeRecoveryPoints',
          params: { GatewayARN: STORED_GATEWAY_ARN },
          status: 400,
          error: 'InvalidGatewayRequestException',
          time: TEST_START,
        },
      ]);
      expect(running.emulator.calls).toEqual([]);
    });
  });
});
