import { INVALID_INPUT, INVALID_RECOVERY_POINT_TIME, SNAPSHOTS_FAILED } from '../../src/errors.ts';
import { volumeArnOf } from '../../src/local/emulator/index.ts';
import { type FleetInput, generateFleet } from '../../src/local/fleet.ts';
import {
  type LocalWorkflow,
  NO_VISIBILITY_LAG,
  startLocalWorkflow,
  storageGatewayCalls,
} from '../helpers/local-workflow.ts';

const GIB = 1024 ** 3;
const REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const FLEET_ACCOUNT = { region: REGION, accountId: ACCOUNT };
const volume = (gatewayId: string, id: string) => volumeArnOf(FLEET_ACCOUNT, gatewayId, id);

/** One gateway whose volumes each meet one policy reason, plus a non-cached gateway to ignore. */
const POLICY_FLEET: FleetInput = {
  region: REGION,
  accountId: ACCOUNT,
  gateways: [
    {
      id: 'sgw-AAAA0001',
      name: 'reasons',
      type: 'CACHED',
      volumes: [
        { id: 'vol-0000000A', sizeBytes: 100 * GIB, usageBytes: 50 * GIB, recoveryPointAgeMinutes: 30 },
        { id: 'vol-0000000B', sizeBytes: 100 * GIB, usageBytes: 50 * GIB, recoveryPointAgeMinutes: 30 },
        { id: 'vol-0000000C', sizeBytes: 100 * GIB, usageBytes: 50 * GIB, recoveryPointAgeMinutes: 5 },
        { id: 'vol-0000000D', sizeBytes: 100 * GIB, usageBytes: 50 * GIB, recoveryPointAgeMinutes: 3 * 24 * 60 },
        { id: 'vol-0000000E', sizeBytes: 100 * GIB, recoveryPointAgeMinutes: 30 },
        { id: 'vol-0000000F', sizeBytes: 100 * GIB, usageBytes: 0, recoveryPointAgeMinutes: 30 },
        { id: 'vol-00000010', sizeBytes: 100 * GIB, usageBytes: GIB, recoveryPointAgeMinutes: 30 },
      ],
    },
    { id: 'sgw-BBBB0001', name: 'stored', type: 'STORED', volumes: [] },
  ],
};

describe('the state machine on the local engine against the emulator', () => {
  let workflow: LocalWorkflow | undefined;
  afterEach(async () => {
    await workflow?.close();
    workflow = undefined;
  });

  it('gives every recovery point exactly one outcome, with each policy reason', async () => {
    // Prepare
    workflow = await startLocalWorkflow({ fleet: POLICY_FLEET, faults: [NO_VISIBILITY_LAG] });
    const input = {
      excludeVolumeArns: [volume('sgw-AAAA0001', 'vol-0000000B')],
      policy: { minAgeMinutes: 10, maxAgeHours: 24, unknownUsage: 'skip', minUsagePercent: 10 },
    };

    // Act
    const first = await workflow.run(input);
    const second = await workflow.run(input);

    // Assess
    expect(first.status).toBe('SUCCEEDED');
    const reasonOf = Object.fromEntries(first.report?.skipped.map((s) => [s.volumeArn.slice(-12), s.reason]) ?? []);
    expect(reasonOf).toEqual({
      'vol-0000000B': 'excluded',
      'vol-0000000C': 'too-new',
      'vol-0000000D': 'too-old',
      'vol-0000000E': 'unknown-usage',
      'vol-0000000F': 'below-min-usage',
      'vol-00000010': 'below-min-usage',
    });
    expect(first.report?.snapshots.map((s) => [s.volumeArn.slice(-12), s.status])).toEqual([
      ['vol-0000000A', 'created'],
    ]);
    expect(first.report?.summary).toMatchObject({ gateways: 1, recoveryPoints: 7, created: 1, skipped: 6, failed: 0 });
    expect(second.report?.skipped.find((s) => s.volumeArn.endsWith('vol-0000000A'))?.reason).toBe(
      'already-snapshotted',
    );
    expect(second.report?.summary.created).toBe(0);
    expect(workflow.emulator.snapshots()).toHaveLength(1);
  });

  it('discovers every cached gateway across ListGateways pages and ignores the others', async () => {
    // Prepare: 130 cached gateways are more than one page of 100.
    const fleet = generateFleet({ gateways: 130, volumesPerGateway: 1 });
    fleet.gateways.push({ id: 'sgw-FFFF0001', name: 'file', type: 'FILE_S3', volumes: [] });
    workflow = await startLocalWorkflow({ fleet });

    // Act
    const run = await workflow.run({ maxConcurrency: { gateways: 40 } });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.summary).toMatchObject({ gateways: 130, created: 130 });
    const listGateways = workflow.emulator.calls.filter((c) => c.operation === 'ListGateways');
    expect(listGateways.length).toBeGreaterThan(1);
    // Two traversals, each following Marker: Plan's discovery, and Summarise's look-up of gateway names.
    expect(listGateways.filter((c) => typeof c.params.Marker !== 'string')).toHaveLength(2);
  });

  it('snapshots every selected volume exactly once while 30% of all calls fail with InternalServerError', async () => {
    // Prepare
    const fleet = generateFleet({ gateways: 4, volumesPerGateway: 8 });
    workflow = await startLocalWorkflow({
      fleet,
      seed: 7,
      faults: [{ operation: '*', error: 'InternalServerError', rate: 0.3 }],
    });

    // Act
    const run = await workflow.run();

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.summary).toMatchObject({ selected: 32, created: 32, failed: 0 });
    expect(run.events.filter((e) => e.type === 'StateRetried').length).toBeGreaterThan(0);
    const perVolume = new Map<string, number>();
    for (const s of workflow.emulator.snapshots()) perVolume.set(s.volumeArn, (perVolume.get(s.volumeArn) ?? 0) + 1);
    expect(perVolume.size).toBe(32);
    expect([...perVolume.values()].every((n) => n === 1)).toBe(true);
    // A create retried after a 500 cannot know whether the first took effect: its find waits through EC2's
    // visibility bound (15.75 s, in real time inside the handler) before it believes nothing was made.
  }, 90_000);

  it('absorbs throttling bursts with the state machine retries', async () => {
    // Prepare
    const fleet = generateFleet({ gateways: 2, volumesPerGateway: 16 });
    workflow = await startLocalWorkflow({
      fleet,
      faults: [
        { operation: 'CreateSnapshotFromVolumeRecoveryPoint', rateLimit: { perSecond: 50, burst: 2 } },
        // However slowly a loaded machine sends the creates, the first ones meet an empty bucket.
        { operation: 'CreateSnapshotFromVolumeRecoveryPoint', error: 'ThrottlingException', firstN: 2 },
      ],
    });

    // Act
    const run = await workflow.run();

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.summary.created).toBe(32);
    expect(workflow.emulator.calls.some((c) => c.error === 'ThrottlingException')).toBe(true);
    expect(workflow.emulator.snapshots()).toHaveLength(32);
  });

  it('snapshots the other volumes when one fails for good, then fails the execution with the report', async () => {
    // Prepare
    const fleet = generateFleet({ gateways: 2, volumesPerGateway: 3 });
    const broken = volumeArnOf(fleet, fleet.gateways[0]?.id ?? '', fleet.gateways[0]?.volumes[1]?.id ?? '');
    workflow = await startLocalWorkflow({
      fleet,
      faults: [
        {
          operation: 'CreateSnapshotFromVolumeRecoveryPoint',
          volumeArn: broken,
          error: 'InvalidGatewayRequestException',
        },
      ],
    });

    // Act
    const run = await workflow.run();

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe(SNAPSHOTS_FAILED);
    expect(run.report?.summary).toMatchObject({ created: 5, failed: 1 });
    expect(run.report?.failures).toEqual([
      expect.objectContaining({ volumeArn: broken, error: 'InvalidGatewayRequestException' }),
    ]);
    expect(workflow.emulator.snapshots()).toHaveLength(5);
  });

  it('reports every failed volume of a run too large for its failure cause', async () => {
    // Prepare: 2,240 failing volumes; their IDs alone are more than a cause's 32,768 characters.
    const fleet = generateFleet({ gateways: 70, volumesPerGateway: 32 });
    workflow = await startLocalWorkflow({
      fleet,
      // The failure cause's size, not the API budget: no table (its dynalite writes would take a minute here), and
      // so no EC2 buckets either, which every create's own DescribeSnapshots would then empty.
      idempotency: false,
      cloud: [],
      faults: [{ operation: 'CreateSnapshotFromVolumeRecoveryPoint', error: 'InvalidGatewayRequestException' }],
    });

    // Act
    const run = await workflow.run({ maxConcurrency: { gateways: 40, snapshots: 40 } });

    // Assess
    expect(run.error).toBe(SNAPSHOTS_FAILED);
    expect((run.cause ?? '').length).toBeLessThanOrEqual(8_000);
    expect(run.digest?.moreFailures).toBe(2240 - (run.digest?.failures.length ?? 0));
    expect(run.report?.summary).toMatchObject({ recoveryPoints: 2240, failed: 2240, created: 0 });
    const named = new Set(run.report?.failures.map((f) => f.volumeArn));
    const all = fleet.gateways.flatMap((g) => g.volumes.map((v) => volumeArnOf(fleet, g.id, v.id)));
    expect(all.filter((arn) => !named.has(arn))).toEqual([]);
    // About 20 s alone; the whole suite on two busy cores took it past 30 s once.
  }, 60_000);

  it('records an unreadable recovery-point time as that volume failing, not a crash', async () => {
    // Prepare
    const fleet: FleetInput = {
      region: REGION,
      accountId: ACCOUNT,
      gateways: [
        {
          id: 'sgw-AAAA0002',
          name: 'odd',
          type: 'CACHED',
          volumes: [
            { id: 'vol-00000021', sizeBytes: GIB, usageBytes: GIB, recoveryPointTime: 'not a time' },
            { id: 'vol-00000022', sizeBytes: GIB, usageBytes: GIB, recoveryPointAgeMinutes: 1 },
          ],
        },
      ],
    };
    workflow = await startLocalWorkflow({ fleet });

    // Act
    const run = await workflow.run();

    // Assess
    expect(run.error).toBe(SNAPSHOTS_FAILED);
    expect(run.report?.failures).toEqual([expect.objectContaining({ error: INVALID_RECOVERY_POINT_TIME })]);
    expect(run.report?.summary.created).toBe(1);
  });

  it('fails bad input at once with InvalidInput naming the field, before any Storage Gateway call', async () => {
    // Prepare
    workflow = await startLocalWorkflow({ fleet: POLICY_FLEET });

    // Act
    const run = await workflow.run({ policy: { minAgeMinute: 5 } });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe(INVALID_INPUT);
    expect(run.cause).toContain('policy.minAgeMinute');
    expect(storageGatewayCalls(workflow.emulator)).toEqual([]);
  });

  it('plans and reports a dry run, creating nothing', async () => {
    // Prepare
    workflow = await startLocalWorkflow({ fleet: POLICY_FLEET, faults: [NO_VISIBILITY_LAG] });
    await workflow.run();
    workflow.emulator.advanceRecoveryPoint(volume('sgw-AAAA0001', 'vol-0000000C'));
    workflow.emulator.resetCalls();

    // Act
    const run = await workflow.run({ dryRun: true });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.dryRun).toBe(true);
    expect(run.report?.snapshots).toEqual([
      expect.objectContaining({ volumeArn: volume('sgw-AAAA0001', 'vol-0000000C'), status: 'would-create' }),
    ]);
    expect(run.report?.summary.skippedByReason['already-snapshotted']).toBeGreaterThan(0);
    expect(storageGatewayCalls(workflow.emulator)).not.toContain('CreateSnapshotFromVolumeRecoveryPoint');
  });
});
