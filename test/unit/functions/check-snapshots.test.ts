import { DescribeSnapshotsCommand, EC2Client, type Snapshot } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { type CheckSnapshotsRequest, createCheckSnapshotsHandler } from '../../../functions/check-snapshots/handler.ts';
import { SNAPSHOT_ERROR, SNAPSHOT_NOT_COMPLETED } from '../../../src/errors.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import type { GatewayResult } from '../../../src/report/gateway-result.ts';
import { SNAPSHOT_TAG } from '../../../src/snapshot/tags.ts';
import { EXECUTION, GATEWAY_ARN, MINUTE, NOW, optionsOf, volumeArn } from '../fixtures.ts';
import { TIME } from '../report/helpers.ts';
import { ec2Error } from './sdk-errors.ts';

const ec2 = mockClient(EC2Client);
let now = NOW;
const handler = createCheckSnapshotsHandler({ ec2: new EC2Client({ region: 'us-east-1' }), now: () => now });
const context = () => localLambdaContext('checkSnapshots', 120);

const gatewayResult: GatewayResult = {
  gatewayArn: GATEWAY_ARN,
  recoveryPoints: 3,
  counts: { selected: 3, created: 3, existing: 0, wouldCreate: 0, failed: 0, skipped: {} },
  snapshots: ['a', 'b', 'c'].map((v) => ({
    volumeId: `vol-0000000${v}`,
    recoveryPointTime: TIME,
    snapshotId: `snap-${v}`,
    status: 'created',
    sizeBytes: 1_000,
    ...(v === 'c' ? { state: 'completed' } : {}),
  })),
  skipped: [],
  failures: [],
};

function described(id: string, state: Snapshot['State']): Snapshot {
  return {
    SnapshotId: `snap-${id}`,
    State: state,
    Progress: state === 'completed' ? '100%' : '40%',
    Tags: [{ Key: SNAPSHOT_TAG.volumeArn, Value: volumeArn(`vol-0000000${id}`) }],
  };
}

function request(): CheckSnapshotsRequest {
  return {
    options: optionsOf({ waitForCompletion: true, completionTimeoutMinutes: 30 }),
    execution: EXECUTION,
    gateways: [gatewayResult],
  };
}

beforeEach(() => {
  ec2.reset();
  now = NOW;
});
afterAll(() => ec2.restore());

describe('check-snapshots handler', () => {
  it('asks only about snapshots not yet completed and counts those still pending', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [described('a', 'pending'), described('b', 'completed')] });

    // Act
    const result = await handler(request(), context());

    // Assess
    expect(ec2.commandCalls(DescribeSnapshotsCommand).map((c) => c.args[0].input.SnapshotIds)).toEqual([
      ['snap-a', 'snap-b'],
    ]);
    expect(result.pending).toBe(1);
    expect(result.gateways[0]?.snapshots.map((s) => [s.snapshotId, s.state])).toEqual([
      ['snap-a', 'pending'],
      ['snap-b', 'completed'],
      ['snap-c', 'completed'],
    ]);
  });

  it('turns a snapshot in error into a failure of its volume', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [described('a', 'error'), described('b', 'completed')] });

    // Act
    const result = await handler(request(), context());

    // Assess
    const [gateway] = result.gateways;
    expect(result.pending).toBe(0);
    expect(gateway?.failures).toEqual([
      expect.objectContaining({ error: SNAPSHOT_ERROR, volumeIds: ['vol-0000000a'] }),
    ]);
    expect(gateway?.counts).toMatchObject({ created: 2, failed: 1 });
  });

  it('fails the snapshots still pending once the wait has timed out', async () => {
    // Prepare
    now = NOW + 30 * MINUTE;
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [described('a', 'pending'), described('b', 'completed')] });

    // Act
    const result = await handler(request(), context());

    // Assess
    expect(result.pending).toBe(0);
    expect(result.gateways[0]?.failures).toEqual([
      expect.objectContaining({ error: SNAPSHOT_NOT_COMPLETED, volumeIds: ['vol-0000000a'] }),
    ]);
  });

  it('lets EC2 throttling reach the state machine by name', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).rejects(ec2Error('RequestLimitExceeded'));

    // Act
    const act = handler(request(), context());

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
  });
});
