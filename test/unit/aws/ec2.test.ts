import {
  CreateTagsCommand,
  DescribeSnapshotsCommand,
  type DescribeSnapshotsCommandInput,
  EC2Client,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import {
  describeSnapshotsById,
  findSnapshotsOfExecution,
  findSnapshotsOfGateway,
  findSnapshotsOfRecoveryPoint,
  tagRecoveryPointTime,
} from '../../../src/aws/ec2.ts';
import { SNAPSHOT_TAG } from '../../../src/snapshot/tags.ts';
import { EXECUTION, GATEWAY_ARN, volumeArn } from '../../helpers/fixtures.ts';

const ec2 = mockClient(EC2Client);
const client = new EC2Client({ region: 'us-east-1' });

function snapshot(id: string, volumeId: string, time: string, state: Snapshot['State'] = 'completed'): Snapshot {
  return {
    SnapshotId: id,
    State: state,
    Progress: '100%',
    VolumeSize: 500,
    Tags: [
      { Key: 'team', Value: 'storage' },
      { Key: SNAPSHOT_TAG.volumeArn, Value: volumeArn(volumeId) },
      { Key: SNAPSHOT_TAG.recoveryPointTime, Value: time },
    ],
  };
}

beforeEach(() => ec2.reset());
afterAll(() => ec2.restore());

describe('findSnapshotsOfGateway', () => {
  it('asks for our own snapshots tagged with the gateway, follows NextToken, and reads the point from the tags', async () => {
    // Prepare
    const tokens: Array<string | undefined> = [];
    ec2.on(DescribeSnapshotsCommand).callsFake((input: DescribeSnapshotsCommandInput) => {
      tokens.push(input.NextToken);
      return tokens.length === 1
        ? { Snapshots: [snapshot('snap-1', 'vol-1', 't1')], NextToken: 'next' }
        : { Snapshots: [snapshot('snap-2', 'vol-2', 't2', 'error')] };
    });

    // Act
    const found = await findSnapshotsOfGateway(client, GATEWAY_ARN);

    // Assess
    expect(found).toEqual([
      {
        snapshotId: 'snap-1',
        volumeArn: volumeArn('vol-1'),
        recoveryPointTime: 't1',
        state: 'completed',
        progress: '100%',
        volumeSizeGiB: 500,
      },
      {
        snapshotId: 'snap-2',
        volumeArn: volumeArn('vol-2'),
        recoveryPointTime: 't2',
        state: 'error',
        progress: '100%',
        volumeSizeGiB: 500,
      },
    ]);
    expect(tokens).toEqual([undefined, 'next']);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input).toMatchObject({
      OwnerIds: ['self'],
      Filters: [{ Name: `tag:${SNAPSHOT_TAG.gatewayArn}`, Values: [GATEWAY_ARN] }],
    });
  });
});

describe('findSnapshotsOfRecoveryPoint', () => {
  it('filters on both the volume and the recovery-point time', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });

    // Act
    const found = await findSnapshotsOfRecoveryPoint(client, volumeArn('vol-1'), 't1');

    // Assess
    expect(found).toEqual([]);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: `tag:${SNAPSHOT_TAG.volumeArn}`, Values: [volumeArn('vol-1')] },
      { Name: `tag:${SNAPSHOT_TAG.recoveryPointTime}`, Values: ['t1'] },
    ]);
  });
});

describe('findSnapshotsOfExecution', () => {
  it('filters on the execution tag', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });

    // Act
    await findSnapshotsOfExecution(client, EXECUTION.id);

    // Assess
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: `tag:${SNAPSHOT_TAG.execution}`, Values: [EXECUTION.id] },
    ]);
  });
});

describe('describeSnapshotsById', () => {
  const idsOf = (input: DescribeSnapshotsCommandInput) =>
    input.Filters?.find((f) => f.Name === 'snapshot-id')?.Values ?? [];

  it('asks about at most 200 IDs a call, by a snapshot-id filter of our own snapshots', async () => {
    // Prepare
    const ids = Array.from({ length: 450 }, (_, i) => `snap-${i}`);
    ec2.on(DescribeSnapshotsCommand).callsFake((input: DescribeSnapshotsCommandInput) => ({
      Snapshots: idsOf(input).map((id) => snapshot(id, 'vol-1', 't')),
    }));

    // Act
    const found = await describeSnapshotsById(client, ids);

    // Assess
    expect(found.map((s) => s.snapshotId)).toEqual(ids);
    const inputs = ec2.commandCalls(DescribeSnapshotsCommand).map((c) => c.args[0].input);
    expect(inputs.map((input) => idsOf(input).length)).toEqual([200, 200, 50]);
    expect(inputs.every((input) => input.SnapshotIds === undefined && input.OwnerIds?.[0] === 'self')).toBe(true);
  });

  it('answers the snapshots EC2 knows, leaving out one it does not show (deleted, or not visible yet)', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).callsFake((input: DescribeSnapshotsCommandInput) => ({
      Snapshots: idsOf(input)
        .filter((id) => id !== 'snap-gone')
        .map((id) => snapshot(id, 'vol-1', 't')),
    }));

    // Act
    const found = await describeSnapshotsById(client, ['snap-1', 'snap-gone', 'snap-2']);

    // Assess
    expect(found.map((s) => s.snapshotId)).toEqual(['snap-1', 'snap-2']);
  });
});

describe('tagRecoveryPointTime', () => {
  it('overwrites the recovery-point tag of one snapshot', async () => {
    // Prepare
    ec2.on(CreateTagsCommand).resolves({});

    // Act
    await tagRecoveryPointTime(client, 'snap-1', '2025-01-15T11:30:00.000Z');

    // Assess
    expect(ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input)).toEqual([
      { Resources: ['snap-1'], Tags: [{ Key: SNAPSHOT_TAG.recoveryPointTime, Value: '2025-01-15T11:30:00.000Z' }] },
    ]);
  });
});
