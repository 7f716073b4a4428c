import { DescribeSnapshotsCommand, EC2Client, type Snapshot } from '@aws-sdk/client-ec2';
import {
  ListVolumeRecoveryPointsCommand,
  StorageGatewayClient,
  type VolumeRecoveryPointInfo,
} from '@aws-sdk/client-storage-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { createListRecoveryPointsHandler } from '../../../functions/list-recovery-points/handler.ts';
import type { ExecutionInput } from '../../../src/input/schema.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { SNAPSHOT_TAG } from '../../../src/snapshot/tags.ts';
import { agoIso, EXECUTION, GATEWAY_ARN, HOUR, MINUTE, NOW, optionsOf, volumeArn } from '../../helpers/fixtures.ts';
import { ec2Error, STORAGE_GATEWAY_ERRORS } from '../../helpers/sdk-errors.ts';

const storageGateway = mockClient(StorageGatewayClient);
const ec2 = mockClient(EC2Client);
const handler = createListRecoveryPointsHandler({
  storageGateway: new StorageGatewayClient({ region: 'us-east-1' }),
  ec2: new EC2Client({ region: 'us-east-1' }),
  now: () => NOW,
});
const context = () => localLambdaContext('listRecoveryPoints', 120);
const task = (input: ExecutionInput = {}) => ({
  gatewayArn: GATEWAY_ARN,
  options: optionsOf(input),
  execution: EXECUTION,
});

const TIME = agoIso(2 * HOUR);
const VOLUME_IDS = ['vol-00000001', 'vol-00000002', 'vol-00000003'];

function info(volumeId: string, time = TIME): VolumeRecoveryPointInfo {
  return {
    VolumeARN: volumeArn(volumeId),
    VolumeRecoveryPointTime: time,
    VolumeSizeInBytes: 1_000,
    VolumeUsageInBytes: 100,
  };
}

/** When EC2 started the snapshots of earlier runs. */
const STARTED = new Date(NOW - HOUR);

function ourSnapshot(volumeId: string, time: string, state: Snapshot['State']): Snapshot {
  return {
    SnapshotId: `snap-${volumeId}`,
    State: state,
    VolumeSize: 1,
    StartTime: STARTED,
    Tags: [
      { Key: SNAPSHOT_TAG.gatewayArn, Value: GATEWAY_ARN },
      { Key: SNAPSHOT_TAG.volumeArn, Value: volumeArn(volumeId) },
      { Key: SNAPSHOT_TAG.recoveryPointTime, Value: time },
    ],
  };
}

beforeEach(() => {
  storageGateway.reset();
  ec2.reset();
  storageGateway
    .on(ListVolumeRecoveryPointsCommand)
    .resolves({ VolumeRecoveryPointInfos: VOLUME_IDS.map((id) => info(id)) });
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
});
afterAll(() => {
  storageGateway.restore();
  ec2.restore();
});

describe('list-recovery-points handler', () => {
  it('selects every used, settled point of the gateway', async () => {
    // Act
    const result = await handler(task(), context());

    // Assess
    expect(result.recoveryPoints).toBe(3);
    expect(result.earlierSnapshots).toEqual([]);
    expect(result.selected).toEqual(
      VOLUME_IDS.map((id) => ({ volumeArn: volumeArn(id), recoveryPointTime: TIME, sizeBytes: 1_000 })),
    );
    expect(storageGateway.commandCalls(ListVolumeRecoveryPointsCommand)[0]?.args[0].input).toEqual({
      GatewayARN: GATEWAY_ARN,
    });
  });

  it('finds earlier snapshots with one DescribeSnapshots for the whole gateway and ignores those in error', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        ourSnapshot('vol-00000001', TIME, 'completed'),
        ourSnapshot('vol-00000002', TIME, 'error'),
        ourSnapshot('vol-00000003', agoIso(26 * HOUR), 'completed'),
      ],
    });

    // Act
    const result = await handler(task(), context());

    // Assess
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(1);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: `tag:${SNAPSHOT_TAG.gatewayArn}`, Values: [GATEWAY_ARN] },
    ]);
    expect(result.skipped).toEqual([
      {
        volumeArn: volumeArn('vol-00000001'),
        recoveryPointTime: TIME,
        sizeBytes: 1_000,
        reason: 'already-snapshotted',
        snapshotId: 'snap-vol-00000001',
      },
    ]);
    expect(result.selected.map((p) => p.volumeArn)).toEqual([volumeArn('vol-00000002'), volumeArn('vol-00000003')]);
  });

  it('names, per volume, the newest usable snapshot an earlier run made, as EC2 describes it', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        ourSnapshot('vol-00000001', agoIso(26 * HOUR), 'completed'),
        { ...ourSnapshot('vol-00000001', agoIso(3 * HOUR), 'pending'), SnapshotId: 'snap-newer' },
        ourSnapshot('vol-00000002', agoIso(3 * HOUR), 'error'),
      ],
    });

    // Act
    const result = await handler(task(), context());

    // Assess
    expect(result.earlierSnapshots).toEqual([
      {
        volumeArn: volumeArn('vol-00000001'),
        snapshotId: 'snap-newer',
        recoveryPointTime: agoIso(3 * HOUR),
        state: 'pending',
        sizeBytes: 2 ** 30,
        snapshotTime: STARTED.toISOString(),
      },
    ]);
  });

  it('asks EC2 once even when told not to skip points already snapshotted, for what to restore from', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [ourSnapshot('vol-00000001', TIME, 'completed')] });

    // Act
    const result = await handler(task({ policy: { skipIfAlreadySnapshotted: false } }), context());

    // Assess
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(1);
    expect(result.selected).toHaveLength(3);
    expect(result.skipped).toEqual([]);
    expect(result.earlierSnapshots.map((s) => s.snapshotId)).toEqual(['snap-vol-00000001']);
  });

  it('leaves the snapshots of excluded volumes out of what to restore from', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [ourSnapshot('vol-00000001', TIME, 'completed'), ourSnapshot('vol-00000002', TIME, 'completed')],
    });

    // Act
    const result = await handler(task({ excludeVolumeArns: [volumeArn('vol-00000002')] }), context());

    // Assess
    expect(result.earlierSnapshots.map((s) => s.volumeArn)).toEqual([volumeArn('vol-00000001')]);
    expect(result.skipped.map((s) => [s.volumeArn, s.reason])).toEqual([
      [volumeArn('vol-00000001'), 'already-snapshotted'],
      [volumeArn('vol-00000002'), 'excluded'],
    ]);
  });

  it('does not call EC2 for a gateway without recovery points', async () => {
    // Prepare
    storageGateway.on(ListVolumeRecoveryPointsCommand).resolves({ VolumeRecoveryPointInfos: [] });

    // Act
    const result = await handler(task(), context());

    // Assess
    expect(result).toEqual({ recoveryPoints: 0, selected: [], skipped: [], failures: [], earlierSnapshots: [] });
    expect(ec2.calls()).toHaveLength(0);
  });

  it('judges age by the clock it was given and fails only the point whose time is unreadable', async () => {
    // Prepare
    storageGateway.on(ListVolumeRecoveryPointsCommand).resolves({
      VolumeRecoveryPointInfos: [
        info('vol-00000001', agoIso(5 * MINUTE)),
        info('vol-00000002', 'not a time'),
        info('vol-00000003'),
      ],
    });

    // Act
    const result = await handler(task({ policy: { minAgeMinutes: 10 } }), context());

    // Assess
    expect(result.skipped.map((s) => [s.volumeArn, s.reason])).toEqual([[volumeArn('vol-00000001'), 'too-new']]);
    expect(result.failures.map((f) => [f.volumeArn, f.error])).toEqual([
      [volumeArn('vol-00000002'), 'InvalidRecoveryPointTime'],
    ]);
    expect(result.selected.map((p) => p.volumeArn)).toEqual([volumeArn('vol-00000003')]);
  });

  it.each(Object.keys(STORAGE_GATEWAY_ERRORS))(
    'lets %s from ListVolumeRecoveryPoints reach the state machine by name',
    async (name) => {
      // Prepare
      storageGateway.on(ListVolumeRecoveryPointsCommand).rejects(STORAGE_GATEWAY_ERRORS[name]?.());

      // Act
      const act = handler(task(), context());

      // Assess
      await expect(act).rejects.toMatchObject({ name });
    },
  );

  it.each(['RequestLimitExceeded', 'InternalError'])('lets EC2 %s reach the state machine by name', async (name) => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).rejects(ec2Error(name));

    // Act
    const act = handler(task(), context());

    // Assess
    await expect(act).rejects.toMatchObject({ name });
  });
});
