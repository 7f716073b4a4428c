import {
  DescribeSnapshotsCommand,
  type DescribeSnapshotsCommandInput,
  EC2Client,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { type CheckSnapshotsRequest, createCheckSnapshotsHandler } from '../../../functions/check-snapshots/handler.ts';
import { SNAPSHOT_ERROR, SNAPSHOT_NOT_COMPLETED } from '../../../src/errors.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import type { GatewayReport, ReportSnapshot } from '../../../src/report/gateway-report.ts';
import { SNAPSHOT_TAG } from '../../../src/snapshot/tags.ts';
import type { ExecutionRef } from '../../../src/workflow/types.ts';
import { GATEWAY_ARN, MINUTE, NOW, OTHER_GATEWAY_ARN, optionsOf, volumeArn } from '../../helpers/fixtures.ts';
import { executionNamed, type LocalEvidence, startLocalEvidence } from '../../helpers/local-evidence.ts';
import { TIME } from '../../helpers/report.ts';
import { ec2Error } from '../../helpers/sdk-errors.ts';

const ec2 = mockClient(EC2Client);
const context = () => localLambdaContext('checkSnapshots', 120);
const THIRD_GATEWAY_ARN = GATEWAY_ARN.replace('sgw-12A3456B', 'sgw-34C5678D');

let now = NOW;
let local: LocalEvidence;
let handler: ReturnType<typeof createCheckSnapshotsHandler>;
beforeAll(async () => {
  local = await startLocalEvidence();
  handler = createCheckSnapshotsHandler({
    ec2: new EC2Client({ region: 'us-east-1' }),
    now: () => now,
    evidence: local.store,
    evidenceBucket: local.bucket,
  });
});
beforeEach(() => {
  ec2.reset();
  now = NOW;
});
afterAll(async () => {
  ec2.restore();
  await local.close();
});

/** `snap-<volume>` of a volume of `gatewayArn`, as its evidence object holds it. */
function snapshot(
  volumeId: string,
  fields: Partial<ReportSnapshot> = {},
  gatewayArn: string = GATEWAY_ARN,
): ReportSnapshot {
  return {
    gatewayArn,
    volumeArn: volumeArn(volumeId, gatewayArn),
    recoveryPointTime: TIME,
    snapshotId: `snap-${volumeId}`,
    status: 'created',
    sizeBytes: 1_000,
    ...fields,
  };
}

function gatewayReport(gatewayArn: string, snapshots: ReportSnapshot[]): GatewayReport {
  return {
    gatewayArn,
    recoveryPoints: snapshots.length,
    selected: snapshots.length,
    snapshots,
    skipped: [],
    failures: [],
    earlierSnapshots: [],
  };
}

/** EC2's description of `snap-<volume>`. */
function described(volumeId: string, state: Snapshot['State'], gatewayArn: string = GATEWAY_ARN): Snapshot {
  return {
    SnapshotId: `snap-${volumeId}`,
    State: state,
    Progress: state === 'completed' ? '100%' : '40%',
    Tags: [
      { Key: SNAPSHOT_TAG.volumeArn, Value: volumeArn(volumeId, gatewayArn) },
      { Key: SNAPSHOT_TAG.recoveryPointTime, Value: TIME },
    ],
  };
}

/** The IDs a DescribeSnapshots call asks about (by its `snapshot-id` filter), if any. */
function askedIds(input: DescribeSnapshotsCommandInput): string[] | undefined {
  return input.Filters?.find((f) => f.Name === 'snapshot-id')?.Values;
}

/** EC2 answering the query by the execution's tag with `tagged`, and a query by ID with `byId`. */
function ec2Knows(tagged: Snapshot[], byId: Snapshot[] = []) {
  ec2.on(DescribeSnapshotsCommand).callsFake((input: DescribeSnapshotsCommandInput) => {
    const ids = askedIds(input);
    return { Snapshots: ids ? byId.filter((s) => ids.includes(s.SnapshotId ?? '')) : tagged };
  });
}

/** Writes the gateways' evidence objects of a new execution and returns the request CheckSnapshots gets. */
async function arrange(name: string, gateways: GatewayReport[]): Promise<CheckSnapshotsRequest> {
  const execution: ExecutionRef = executionNamed(name);
  for (const gateway of gateways) await local.of(execution).writeGateway(gateway);
  return {
    options: optionsOf({ waitForCompletion: true, completionTimeoutMinutes: 30 }),
    execution,
    gatewayArns: gateways.map((g) => g.gatewayArn),
  };
}

const stored = (request: CheckSnapshotsRequest, gatewayArn = GATEWAY_ARN) =>
  local.of(request.execution).readGateway(gatewayArn);
const describeCalls = () => ec2.commandCalls(DescribeSnapshotsCommand).map((c) => c.args[0].input);

describe('check-snapshots handler', () => {
  it("writes EC2's states into each gateway's evidence and returns how many are still pending", async () => {
    // Prepare
    const request = await arrange('check-states', [
      gatewayReport(GATEWAY_ARN, [
        snapshot('vol-a', { state: 'pending' }),
        snapshot('vol-b'),
        snapshot('vol-c', { state: 'completed', progress: '100%' }),
      ]),
      gatewayReport(OTHER_GATEWAY_ARN, [snapshot('vol-d', {}, OTHER_GATEWAY_ARN)]),
    ]);
    ec2Knows([described('vol-a', 'pending'), described('vol-b', 'completed'), described('vol-d', 'completed')]);

    // Act
    const result = await handler(request, context());

    // Assess
    expect(result).toEqual({
      pending: 1,
      completed: 3,
      failed: { created: 0, existing: 0 },
      oldestPendingProgress: 40,
    });
    expect((await stored(request))?.snapshots.map((s) => [s.snapshotId, s.state, s.progress])).toEqual([
      ['snap-vol-a', 'pending', '40%'],
      ['snap-vol-b', 'completed', '100%'],
      ['snap-vol-c', 'completed', '100%'],
    ]);
    expect((await stored(request, OTHER_GATEWAY_ARN))?.snapshots.map((s) => [s.snapshotId, s.state])).toEqual([
      ['snap-vol-d', 'completed'],
    ]);
  });

  it("asks EC2 once by the execution's tag, however many gateways there are", async () => {
    // Prepare
    const gatewayArns = [GATEWAY_ARN, OTHER_GATEWAY_ARN, THIRD_GATEWAY_ARN];
    const request = await arrange(
      'check-one-query',
      gatewayArns.map((arn) => gatewayReport(arn, [snapshot(`vol-${arn.slice(-8)}`, {}, arn)])),
    );
    ec2Knows(gatewayArns.map((arn) => described(`vol-${arn.slice(-8)}`, 'pending', arn)));

    // Act
    const result = await handler(request, context());

    // Assess
    expect(result.pending).toBe(3);
    expect(describeCalls()).toEqual([
      {
        OwnerIds: ['self'],
        Filters: [{ Name: `tag:${SNAPSHOT_TAG.execution}`, Values: [request.execution.id] }],
        MaxResults: 1000,
      },
    ]);
  });

  it('asks by ID only for the unsettled snapshots an earlier run made', async () => {
    // Prepare
    const request = await arrange('check-existing', [
      gatewayReport(GATEWAY_ARN, [
        snapshot('vol-a'),
        snapshot('vol-e', { status: 'existing', state: 'pending' }),
        snapshot('vol-f', { status: 'existing', state: 'completed' }),
      ]),
    ]);
    ec2Knows([described('vol-a', 'completed')], [described('vol-e', 'completed')]);

    // Act
    const result = await handler(request, context());

    // Assess
    expect(result.pending).toBe(0);
    expect(describeCalls().map(askedIds)).toEqual([undefined, ['snap-vol-e']]);
    expect((await stored(request))?.snapshots.map((s) => [s.snapshotId, s.state])).toEqual([
      ['snap-vol-a', 'completed'],
      ['snap-vol-e', 'completed'],
      ['snap-vol-f', 'completed'],
    ]);
  });

  it('turns a snapshot in error into a failure of its volume that keeps its ID and state', async () => {
    // Prepare
    const request = await arrange('check-error', [gatewayReport(GATEWAY_ARN, [snapshot('vol-a'), snapshot('vol-b')])]);
    ec2Knows([described('vol-a', 'error'), described('vol-b', 'completed')]);

    // Act
    const result = await handler(request, context());

    // Assess
    const gateway = await stored(request);
    expect(result.pending).toBe(0);
    expect(gateway?.snapshots.map((s) => s.snapshotId)).toEqual(['snap-vol-b']);
    expect(gateway?.failures).toEqual([
      expect.objectContaining({
        volumeArn: volumeArn('vol-a'),
        error: SNAPSHOT_ERROR,
        snapshotId: 'snap-vol-a',
        state: 'error',
      }),
    ]);
  });

  it('fails the snapshots still pending once the wait has timed out, keeping their IDs', async () => {
    // Prepare
    now = NOW + 30 * MINUTE;
    const request = await arrange('check-timed-out', [
      gatewayReport(GATEWAY_ARN, [snapshot('vol-a'), snapshot('vol-b')]),
    ]);
    ec2Knows([described('vol-a', 'pending'), described('vol-b', 'completed')]);

    // Act
    const result = await handler(request, context());

    // Assess
    expect(result.pending).toBe(0);
    expect((await stored(request))?.failures).toEqual([
      expect.objectContaining({
        volumeArn: volumeArn('vol-a'),
        error: SNAPSHOT_NOT_COMPLETED,
        snapshotId: 'snap-vol-a',
        state: 'pending',
      }),
    ]);
  });

  it('fails nothing for a snapshot EC2 does not show yet: it stays pending until the next check', async () => {
    // Prepare
    const request = await arrange('check-not-visible', [
      gatewayReport(GATEWAY_ARN, [snapshot('vol-a'), snapshot('vol-b')]),
    ]);
    ec2Knows([described('vol-b', 'completed')]);

    // Act
    const result = await handler(request, context());

    // Assess
    const gateway = await stored(request);
    expect(result.pending).toBe(1);
    expect(gateway?.failures).toEqual([]);
    expect(gateway?.snapshots.map((s) => [s.snapshotId, s.state])).toEqual([
      ['snap-vol-a', 'pending'],
      ['snap-vol-b', 'completed'],
    ]);
  });

  it('asks EC2 nothing when every snapshot is settled, and passes over a gateway that wrote no evidence', async () => {
    // Prepare
    const request = await arrange('check-settled', [
      gatewayReport(GATEWAY_ARN, [snapshot('vol-a', { state: 'completed' })]),
    ]);
    request.gatewayArns.push(OTHER_GATEWAY_ARN);

    // Act
    const result = await handler(request, context());

    // Assess
    expect(result).toEqual({ pending: 0, completed: 1, failed: { created: 0, existing: 0 } });
    expect(ec2.calls()).toHaveLength(0);
    expect(await stored(request, OTHER_GATEWAY_ARN)).toBeUndefined();
  });

  it('lets EC2 throttling reach the state machine by name', async () => {
    // Prepare
    const request = await arrange('check-throttled', [gatewayReport(GATEWAY_ARN, [snapshot('vol-a')])]);
    ec2.on(DescribeSnapshotsCommand).rejects(ec2Error('RequestLimitExceeded'));

    // Act
    const act = handler(request, context());

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
  });
});
