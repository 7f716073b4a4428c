import { TRANSIENT_NETWORK_ERROR } from '../../src/errors.ts';
import {
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
    // The firstN rules: however slowly a loaded machine sends its calls, each operation meets an empty bucket once.
    const throttled = ['ListGateways', 'ListVolumeRecoveryPoints', CREATE].flatMap((operation): FaultRule[] => [
      { operation, rateLimit: { perSecond: 50, burst: 3 } },
      { operation, error: 'ThrottlingException', firstN: 1 },
    ]);
    workflow = await startLocalWorkflow({ fleet, faults: throttled });

    // Act
    const run = await workflow.run();

    // Assess
    expectEveryVolumeSnapshottedOnce(run, workflow);
    expect(workflow.emulator.calls.filter((c) => c.error === 'ThrottlingException').length).toBeGreaterThan(0);
  });

  describe("with EC2's visibility lag and token buckets (the emulator's defaults)", () => {
    it('retags a snapshot EC2 does not show yet once it does, and waits for it to complete', async () => {
      // Prepare: the volume's point moves between the listing and the create, so the create step must retag.
      const moved = volumeArn(0, 3);
      workflow = await startLocalWorkflow({ fleet, snapshotCompletionMs: 200 });
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
        faults: [{ operation: CREATE, volumeArn: ambiguous, kind: 'reset', afterEffect: true, firstN: 1 }],
      });

      // Act
      const run = await workflow.run();

      // Assess
      expectEveryVolumeSnapshottedOnce(run, workflow);
      expect(run.report?.snapshots.find((s) => s.volumeArn === ambiguous)?.status).toBe('existing');
      expect(failedAttempts(run)).toEqual([TRANSIENT_NETWORK_ERROR]);
    }, 30_000);

    it('makes no second snapshot when a rerun lists the fleet before EC2 shows the first run’s snapshots', async () => {
      // Prepare
      workflow = await startLocalWorkflow({ fleet });
      const first = await workflow.run();

      // Act
      const second = await workflow.run();

      // Assess
      expectEveryVolumeSnapshottedOnce(first, workflow);
      expect(second.status).toBe('SUCCEEDED');
      expect(second.report?.summary).toMatchObject({ created: 0, failed: 0 });
      expect((second.report?.summary.existing ?? 0) + (second.report?.summary.skipped ?? 0)).toBe(VOLUMES.length);
    }, 30_000);

    it('makes one snapshot per point when two executions overlap through resets and 500s after the effect', async () => {
      // Prepare: two executions at once; creates of four volumes take effect, then lose their answer.
      workflow = await startLocalWorkflow({
        fleet,
        faults: [
          { operation: CREATE, volumeArn: volumeArn(0, 0), kind: 'reset', afterEffect: true, firstN: 1 },
          { operation: CREATE, volumeArn: volumeArn(0, 5), kind: 'html', afterEffect: true, firstN: 2 },
          { operation: CREATE, volumeArn: volumeArn(1, 1), error: 'InternalServerError', afterEffect: true, firstN: 1 },
          { operation: CREATE, volumeArn: volumeArn(1, 3), kind: 'reset', afterEffect: true, firstN: 2 },
        ],
      });
      const started = workflow;

      // Act
      const runs = await Promise.all([started.run(), started.run()]);

      // Assess
      for (const run of runs) {
        expect(run.status).toBe('SUCCEEDED');
        expect(run.report?.summary).toMatchObject({ selected: VOLUMES.length, failed: 0 });
      }
      expect(workflow.emulator.snapshots()).toHaveLength(VOLUMES.length);
      expect(snapshotsPerVolume(workflow)).toEqual(VOLUMES.map(() => 1));
      for (const run of runs) {
        const summary = run.report?.summary;
        expect((summary?.created ?? 0) + (summary?.existing ?? 0)).toBe(VOLUMES.length);
      }
      expect(runs.flatMap(failedAttempts)).toContain(TRANSIENT_NETWORK_ERROR);
    }, 60_000);
  });
});
