import {
  CreateVolumeCommand,
  DeleteVolumeCommand as DeleteEbsVolumeCommand,
  DescribeVolumesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateCachediSCSIVolumeCommand,
  type CreateCachediSCSIVolumeCommandInput,
  CreateSnapshotFromVolumeRecoveryPointCommand,
  DeleteVolumeCommand,
  DescribeCacheCommand,
  DescribeCachediSCSIVolumesCommand,
  DescribeGatewayInformationCommand,
  DescribeUploadBufferCommand,
  ListVolumesCommand,
} from '@aws-sdk/client-storage-gateway';
import { gatewayArnOf } from '../../../../src/local/emulator/index.ts';
import type { FleetInput } from '../../../../src/local/fleet.ts';
import { type RunningEmulator, startEmulator, TEST_FLEET, VOLUME_ARN } from '../../../helpers/emulator.ts';

const DR_FLEET = {
  ...TEST_FLEET,
  gateways: [
    ...TEST_FLEET.gateways,
    {
      id: 'sgw-DDDD0001',
      name: 'dr',
      type: 'CACHED',
      networkInterfaces: ['10.0.0.5'],
      cacheBytes: 2 ** 40,
      uploadBufferBytes: 2 ** 38,
    },
  ],
} satisfies FleetInput;
const DR = gatewayArnOf(TEST_FLEET, 'sgw-DDDD0001');

/** A gateway's error code, as the SDK exposes Storage Gateway's `error.errorCode`. */
async function refusal(promise: Promise<unknown>): Promise<{ name: string; code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { error?: { errorCode?: string } };
    return { name: e.name, ...(e.error?.errorCode ? { code: e.error.errorCode } : {}), message: e.message };
  }
  throw new Error('the call was not refused');
}

describe('the emulator restoring volumes', () => {
  let running: RunningEmulator;
  let snapshotId: string;
  let create: CreateCachediSCSIVolumeCommandInput;
  beforeEach(async () => {
    running = await startEmulator({
      fleet: DR_FLEET,
      restoreTimings: { cachedVolumeMs: 180_000, ebsVolumeMs: 30_000 },
    });
    const made = await running.sgw.send(
      new CreateSnapshotFromVolumeRecoveryPointCommand({ VolumeARN: VOLUME_ARN, SnapshotDescription: 'for restore' }),
    );
    snapshotId = made.SnapshotId ?? '';
    create = {
      GatewayARN: DR,
      SnapshotId: snapshotId,
      VolumeSizeInBytes: 536_870_912_000,
      TargetName: 'restore-vol-1122aabb',
      NetworkInterfaceId: '10.0.0.5',
      ClientToken: 'token-0001',
      Tags: [{ Key: 'sgw-snap:restore-test', Value: 'true' }],
    };
  });
  afterEach(() => running.stop());

  it('describes the DR gateway as a restore target: running, its address, cache and upload buffer', async () => {
    // Act
    const [info, cache, buffer] = await Promise.all([
      running.sgw.send(new DescribeGatewayInformationCommand({ GatewayARN: DR })),
      running.sgw.send(new DescribeCacheCommand({ GatewayARN: DR })),
      running.sgw.send(new DescribeUploadBufferCommand({ GatewayARN: DR })),
    ]);

    // Assess
    expect(info).toMatchObject({ GatewayState: 'RUNNING', GatewayNetworkInterfaces: [{ Ipv4Address: '10.0.0.5' }] });
    expect(cache).toMatchObject({ CacheAllocatedInBytes: 2 ** 40, CacheUsedPercentage: 0 });
    expect(buffer.UploadBufferAllocatedInBytes).toBe(2 ** 38);
  });

  it('creates a cached volume CREATING, then AVAILABLE; a retry with the same token answers the same volume', async () => {
    // Act
    const first = await running.sgw.send(new CreateCachediSCSIVolumeCommand(create));
    const retried = await running.sgw.send(new CreateCachediSCSIVolumeCommand(create));
    const describe = () =>
      running.sgw.send(new DescribeCachediSCSIVolumesCommand({ VolumeARNs: [first.VolumeARN ?? ''] }));
    const creating = await describe();
    running.clock.advance(180_000);
    const available = await describe();
    const listed = await running.sgw.send(new ListVolumesCommand({ GatewayARN: DR }));

    // Assess
    expect(retried.VolumeARN).toBe(first.VolumeARN);
    expect(first.TargetARN).toBe(`${DR}/target/iqn.1997-05.com.amazon:restore-vol-1122aabb`);
    expect(creating.CachediSCSIVolumes?.[0]).toMatchObject({ VolumeStatus: 'CREATING', SourceSnapshotId: snapshotId });
    expect(available.CachediSCSIVolumes?.[0]).toMatchObject({
      VolumeStatus: 'AVAILABLE',
      TargetName: 'restore-vol-1122aabb',
    });
    expect(listed.VolumeInfos?.map((v) => v.VolumeARN)).toEqual([first.VolumeARN]);
    expect(running.emulator.restoredVolumes()).toHaveLength(1);
  });

  it.each([
    [
      'a wrong network interface',
      { NetworkInterfaceId: '10.9.9.9' },
      'InvalidParameters',
      /NetworkInterfaceId 10.9.9.9/,
    ],
    ['an invalid target name', { TargetName: 'Restore_Vol' }, 'TargetInvalid', /not valid/],
    ['an unknown snapshot', { SnapshotId: 'snap-0123456789abcdef0' }, 'SnapshotNotFound', /not found/],
    ['a size below the snapshot', { VolumeSizeInBytes: 1 }, 'InvalidParameters', /smaller than the snapshot/],
  ])('refuses %s with InvalidGatewayRequestException', async (_, change, code, message) => {
    // Act
    const refused = await refusal(running.sgw.send(new CreateCachediSCSIVolumeCommand({ ...create, ...change })));

    // Assess
    expect(refused).toMatchObject({
      name: 'InvalidGatewayRequestException',
      code,
      message: expect.stringMatching(message),
    });
    expect(running.emulator.restoredVolumes()).toEqual([]);
  });

  it('refuses a taken target name, a reused token with other parameters, and a full cache', async () => {
    // Prepare
    await running.sgw.send(new CreateCachediSCSIVolumeCommand(create));

    // Act
    const taken = await refusal(
      running.sgw.send(new CreateCachediSCSIVolumeCommand({ ...create, ClientToken: 'token-0002' })),
    );
    const reused = await refusal(
      running.sgw.send(new CreateCachediSCSIVolumeCommand({ ...create, TargetName: 'restore-other' })),
    );
    running.emulator.setCacheFull(DR, true);
    const full = await refusal(
      running.sgw.send(
        new CreateCachediSCSIVolumeCommand({ ...create, TargetName: 'restore-3', ClientToken: 'token-0003' }),
      ),
    );

    // Assess
    expect(taken.code).toBe('TargetAlreadyExists');
    expect(reused).toMatchObject({
      code: 'InvalidParameters',
      message: expect.stringContaining('different parameters'),
    });
    expect(full).toMatchObject({ code: 'LocalStorageLimitExceeded', message: expect.stringContaining('cache disk') });
    expect(running.emulator.restoredVolumes()).toHaveLength(1);
  });

  it('deletes a restored volume, which no describe shows afterwards, and records what it deleted', async () => {
    // Prepare
    const { VolumeARN = '' } = await running.sgw.send(new CreateCachediSCSIVolumeCommand(create));

    // Act
    await running.sgw.send(new DeleteVolumeCommand({ VolumeARN }));
    const gone = await refusal(running.sgw.send(new DescribeCachediSCSIVolumesCommand({ VolumeARNs: [VolumeARN] })));

    // Assess
    expect(gone.code).toBe('VolumeNotFound');
    expect(running.emulator.deletedVolumes().map((d) => [d.id, d.tags])).toEqual([
      [VolumeARN, { 'sgw-snap:restore-test': 'true' }],
    ]);
  });

  it('creates an EBS volume creating, then available, sized from the snapshot; deletes it; keeps EC2 idempotency', async () => {
    // Prepare
    const request = {
      SnapshotId: snapshotId,
      AvailabilityZone: 'us-east-1a',
      ClientToken: 'ebs-token',
      TagSpecifications: [{ ResourceType: 'volume' as const, Tags: [{ Key: 'sgw-snap:restore-test', Value: 'true' }] }],
    };

    // Act
    const created = await running.ec2.send(new CreateVolumeCommand(request));
    const again = await running.ec2.send(new CreateVolumeCommand(request));
    const mismatch = await refusal(running.ec2.send(new CreateVolumeCommand({ ...request, Size: 900 })));
    const badZone = await refusal(
      running.ec2.send(new CreateVolumeCommand({ ...request, ClientToken: 'b', AvailabilityZone: 'us-west-2a' })),
    );
    running.clock.advance(30_000);
    const described = await running.ec2.send(new DescribeVolumesCommand({ VolumeIds: [created.VolumeId ?? ''] }));
    await running.ec2.send(new DeleteEbsVolumeCommand({ VolumeId: created.VolumeId ?? '' }));
    const gone = await refusal(running.ec2.send(new DescribeVolumesCommand({ VolumeIds: [created.VolumeId ?? ''] })));

    // Assess
    expect(created).toMatchObject({ State: 'creating', Size: 500, SnapshotId: snapshotId });
    expect(again.VolumeId).toBe(created.VolumeId);
    expect(mismatch.name).toBe('IdempotentParameterMismatch');
    expect(badZone.name).toBe('InvalidParameterValue');
    expect(described.Volumes?.[0]).toMatchObject({
      State: 'available',
      Tags: [{ Key: 'sgw-snap:restore-test', Value: 'true' }],
    });
    expect(gone.name).toBe('InvalidVolume.NotFound');
  });
});
