import { TRANSIENT_NETWORK_ERROR } from '../../src/errors.ts';
import {
  DEFAULT_CLOUD_RULES,
  DEFAULT_SNAPSHOT_VISIBILITY_LAG_MS,
  type FaultRule,
  NETWORK_FAULT,
  volumeArnOf,
} from '../../src/local/emulator/index.ts';
import { generateFleet } from '../../src/local/fleet.ts';
import type { EngineEvent } from '../../src/local/runner.ts';
import { SNAPSHOT_TAG } from '../../src/snapshot/tags.ts';
import { type LocalWorkflow, startLocalWorkflow, type WorkflowRun } from '../helpers/local-workflow.ts';

const CREATE = 'CreateSnapshotFromVolumeRecoveryPoint';
const fleet = generateFleet({ gateways: 2, volumesPerGateway: 6 });
const VOLUMES = fleet.gateways.flatMap((g) => g.volumes.map((v) => volumeArnOf(fleet, g.id, v.id)));
const volumeArn = (gateway: number, volume: number) =>
  volumeArnOf(fleet, fleet.gateways[gateway]?.id ?? '', fleet.gateways[gateway]?.volumes[volume]?.id ?? '');

/** How many snapshots the emulator holds of each volume. */
function snapshotsPerVolume(workflow: LocalWorkflow): number[] {
  const counts = new Map<string, number>(VOLUMES.map((arn) => [arn, 0]));
  for (const s of workflow.emulator.snapshots()) counts.set(s.volumeArn, (counts.get(s.volumeArn) ?? 0) + 1);
  return [...counts.values()];
}

/** The errors the history shows a Task failing with before a retry, one entry per failed attempt. */
function failedAttempts(run: WorkflowRun): string[] {
  return run.events
    .filter((e): e is Extract<EngineEvent, { type: 'StateFailed' }> => e.type === 'StateFailed')
    .map((e) => e.Error);
}

/** Every volume has exactly one snapshot, the run succeeded and says so. */
function expectEveryVolumeSnapshottedOnce(run: WorkflowRun, workflow: LocalWorkflow): void {
  expect(run.status).toBe('SUCCEEDED');
  expect(run.report?.summary).toMatchObject({ selected: VOLUMES.length, failed: 0 });
  expect((run.report?.summary.created ?? 0) + (run.report?.summary.existing ?? 0)).toBe(VOLUMES.length);
  expect(snapshotsPerVolume(workflow)).toEqual(VOLUMES.map(() => 1));
}

describe('the workflow against what the cloud does', () => {
  let workflow: LocalWorkflow | undefined;
  afterEach(async () => {
    await workflow?.close();
    workflow = undefined;
  });

  it.each<[string, FaultRule[]]>([
    ['connection resets before any call took effect', [{ operation: '*', kind: 'reset', rate: 0.15 }]],
    ['5xx answers with an HTML body, from Storage Gateway and EC2', [{ operation: '*', kind: 'html', rate: 0.15 }]],
    [
      'HTML 502s and resets after Storage Gateway made the snapshot',
      [
        { operation: CREATE, volumeArn: volumeArn(0, 1), kind: 'reset', afterEffect: true, firstN: 1 },
        { operation: CREATE, volumeArn: volumeArn(1, 4), kind: 'html', htmlStatus: 502, afterEffect: true, firstN: 2 },
      ],
    ],
  ])('snapshots every volume exactly once through %s, each retry in the history', async (_fault, faults) => {
    // Prepare
    workflow = await startLocalWorkflow({ fleet, seed: 3, faults });

    // Act
    const run = await workflow.run();

    // Assess
    expectEveryVolumeSnapshottedOnce(run, workflow);
    const injected = workflow.emulator.calls.filter((c) =>
      [NETWORK_FAULT.reset, NETWORK_FAULT.html].includes(c.error as never),
    );
    expect(injected.length).toBeGreaterThan(0);
    const failures = failedAttempts(run);
    // Each failed attempt stopped at one injected fault; Summarise's best-effort look-up of gateway names may
    // absorb one without failing.
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.length).toBeLessThanOrEqual(injected.length);
    expect(new Set(failures)).toEqual(new Set([TRANSIENT_NETWORK_ERROR]));
    expect(run.events.filter((e) => e.type === 'StateRetried')).toHaveLength(failures.length);
  });

  it('reports the snapshot a reset create made as existing, not made twice', async () => {
    // Prepare
    const ambiguous = volumeArn(1, 2);
    workflow = await startLocalWorkflow({
      fleet,
      faults: [{ operation: CREATE, volumeArn: ambiguous, kind: 'reset', afterEffect: true, firstN: 1 }],
    });

    // Act
    const run = await workflow.run();

    // Assess
    expectEveryVolumeSnapshottedOnce(run, workflow);
    expect(run.report?.snapshots.find((s) => s.volumeArn === ambiguous)?.status).toBe('existing');
  });

  it('retries a request that hung until the SDK gave up on it', async () => {
    // Prepare
    workflow = await startLocalWorkflow({
      fleet,
      faults: [
        {
          operation: 'ListVolumeRecoveryPoints',
          gatewayArn: volumeArn(0, 0).replace(/\/volume\/.*$/, ''),
          kind: 'hang',
          firstN: 1,
        },
      ],
    });

    // Act
    const run = await workflow.run();

    // Assess
    expectEveryVolumeSnapshottedOnce(run, workflow);
    expect(workflow.emulator.calls.filter((c) => c.error === NETWORK_FAULT.hang)).toHaveLength(1);
    expect(failedAttempts(run)).toEqual([TRANSIENT_NETWORK_ERROR]);
  }, 30_000);

  it('absorbs Storage Gateway throttling on every call it makes', async () => {
    // Prepare
    const throttled = ['ListGateways', 'ListVolumeRecoveryPoints', CREATE].map(
      (operation): FaultRule => ({ operation, rateLimit: { perSecond: 50, burst: 3 } }),
    );
    workflow = await startLocalWorkflow({ fleet, faults: throttled });

    // Act
    const run = await workflow.run();

    // Assess
    expectEveryVolumeSnapshottedOnce(run, workflow);
    expect(workflow.emulator.calls.filter((c) => c.error === 'ThrottlingException').length).toBeGreaterThan(0);
  });

  describe("with EC2's visibility lag and token buckets (DEFAULT_CLOUD_RULES)", () => {
    it('retags a snapshot EC2 does not show yet once it does, and waits for it to complete', async () => {
      // Prepare: the volume's point moves between the listing and the create, so the create step must retag.
      const moved = volumeArn(0, 3);
      workflow = await startLocalWorkflow({ fleet, cloud: DEFAULT_CLOUD_RULES, snapshotCompletionMs: 200 });
      let newTime: string | undefined;
      const onEvent = (event: EngineEvent) => {
        if (event.type === 'StateExited' && event.state.name === 'ListRecoveryPoints' && !newTime) {
          const listed = JSON.stringify(event.state.output ?? {});
          if (listed.includes(moved)) newTime = workflow?.emulator.advanceRecoveryPoint(moved);
        }
      };

      // Act
      const started = Date.now();
      const run = await workflow.run({ waitForCompletion: true }, { onEvent });
      const took = Date.now() - started;

      // Assess
      expectEveryVolumeSnapshottedOnce(run, workflow);
      const snapshot = workflow.emulator.snapshots().find((s) => s.volumeArn === moved);
      expect(snapshot?.recoveryPointTime).toBe(newTime);
      expect(snapshot?.tags[SNAPSHOT_TAG.recoveryPointTime]).toBe(newTime);
      expect(run.report?.snapshots.find((s) => s.volumeArn === moved)?.recoveryPointTime).toBe(newTime);
      expect(run.report?.snapshots.map((s) => s.state)).toEqual(VOLUMES.map(() => 'completed'));
      const refused = workflow.emulator.calls.filter((c) => c.error === 'InvalidSnapshot.NotFound');
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((c) => c.operation === 'CreateTags')).toBe(true);
      expect(took).toBeGreaterThanOrEqual(DEFAULT_SNAPSHOT_VISIBILITY_LAG_MS);
    }, 30_000);

    it('makes one snapshot when a create is reset after Storage Gateway made it and EC2 does not show it yet', async () => {
      // Prepare
      const ambiguous = volumeArn(1, 2);
      workflow = await startLocalWorkflow({
        fleet,
        cloud: DEFAULT_CLOUD_RULES,
        faults: [{ operation: CREATE, volumeArn: ambiguous, kind: 'reset', afterEffect: true, firstN: 1 }],
      });

      // Act
      const run = await workflow.run();

      // Assess
      expectEveryVolumeSnapshottedOnce(run, workflow);
      expect(run.report?.snapshots.find((s) => s.volumeArn === ambiguous)?.status).toBe('existing');
      expect(failedAttempts(run)).toEqual([TRANSIENT_NETWORK_ERROR]);
    }, 30_000);

    it('reports each volume the DescribeSnapshots bucket failed, with the report whole and no volume snapshotted twice', async () => {
      // Prepare: 4 gateways of 40 volumes ask DescribeSnapshots once per gateway and once per volume, past the
      // bucket's 100; the local runner retries 100× faster than AWS while the bucket refills at AWS's rate.
      const big = generateFleet({ gateways: 4, volumesPerGateway: 40 });
      const all = big.gateways.flatMap((g) => g.volumes.map((v) => volumeArnOf(big, g.id, v.id)));
      workflow = await startLocalWorkflow({ fleet: big, cloud: DEFAULT_CLOUD_RULES });

      // Act
      const run = await workflow.run();

      // Assess
      const describes = workflow.emulator.calls.filter((c) => c.operation === 'DescribeSnapshots');
      const throttled = describes.filter((c) => c.error === 'RequestLimitExceeded');
      console.log(
        `DescribeSnapshots under EC2's bucket, ${all.length} volumes: ${describes.length} calls, ${throttled.length} throttled; ` +
          `${run.report?.summary.created} created, ${run.report?.summary.failed} failed`,
      );
      const summary = run.report?.summary;
      expect(summary?.selected).toBe(all.length);
      expect((summary?.created ?? 0) + (summary?.existing ?? 0) + (summary?.failed ?? 0)).toBe(all.length);
      expect(run.report?.failures.length).toBe(summary?.failed);
      expect(new Set(run.report?.failures.map((f) => f.error))).toEqual(
        summary?.failed ? new Set(['RequestLimitExceeded']) : new Set(),
      );
      expect(run.status).toBe(summary?.failed ? 'FAILED' : 'SUCCEEDED');
      const perVolume = new Map<string, number>();
      for (const s of workflow.emulator.snapshots()) perVolume.set(s.volumeArn, (perVolume.get(s.volumeArn) ?? 0) + 1);
      expect([...perVolume.values()].every((n) => n === 1)).toBe(true);
      expect(perVolume.size).toBe(summary?.created);
      expect(throttled.length).toBeGreaterThan(0);
    }, 60_000);
  });
});
