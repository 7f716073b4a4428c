import { buildDrillReport } from '../../src/cli/drill-report/index.ts';
import { SNAPSHOT_NOT_COMPLETED, SNAPSHOTS_FAILED } from '../../src/errors.ts';
import { volumeArnOf } from '../../src/local/emulator/index.ts';
import { type Fleet, generateFleet } from '../../src/local/fleet.ts';
import type { ExecutionReport } from '../../src/report/execution-report.ts';
import { SnapshotState } from '../../src/workflow/snapshot.ts';
import {
  type LocalWorkflow,
  NO_VISIBILITY_LAG,
  startLocalWorkflow,
  type WorkflowRun,
} from '../helpers/local-workflow.ts';

const OUTPUT_LIMIT_BYTES = 8_000;
const FAN_OUT = { maxConcurrency: { gateways: 40, snapshots: 40 } };

const everyVolume = (fleet: Fleet) =>
  fleet.gateways.flatMap((g) => g.volumes.map((v) => volumeArnOf(fleet, g.id, v.id)));
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null));

/** The drill report's rows, one per volume, as `start --report` builds it from this run's evidence. */
function drillRows(run: WorkflowRun, report: ExecutionReport | undefined) {
  const drill = buildDrillReport({
    generatedAt: run.stopDate,
    caller: { arn: 'local', osUser: 'test' },
    execution: {
      executionArn: run.executionArn,
      stateMachineArn: '',
      name: run.name,
      status: run.status,
      startDate: run.startDate,
      stopDate: run.stopDate,
    },
    report,
  });
  return drill.gateways.flatMap((g) => g.rows);
}

describe('evidence that is whole at any size', () => {
  let workflow: LocalWorkflow | undefined;
  afterEach(async () => {
    await workflow?.close();
    workflow = undefined;
  });

  it.each([
    [200, 6_400],
    [1_000, 32_000],
  ])(
    '%i gateways: report.json and the drill report hold every one of the %i volumes; the output stays small',
    async (gateways, volumes) => {
      // Prepare
      const fleet = generateFleet({ gateways, volumesPerGateway: 32 });
      // The evidence's size, not the API budget (cloud-faults.test.ts runs 3,200 volumes under EC2's buckets): no
      // idempotency table, whose dynalite writes would take minutes here, and so no EC2 buckets either, which every
      // create's own DescribeSnapshots would then empty.
      workflow = await startLocalWorkflow({ fleet, idempotency: false, cloud: [] });

      // Act
      const run = await workflow.run(FAN_OUT, { keepEvents: false });

      // Assess
      expect(run.status).toBe('SUCCEEDED');
      expect(run.report?.summary).toMatchObject({ gateways, recoveryPoints: volumes, created: volumes, failed: 0 });
      expect(run.report?.snapshots.map((s) => s.volumeArn).sort()).toEqual(everyVolume(fleet).sort());
      expect(run.report?.manifest.flatMap((g) => g.volumes).filter((v) => v.snapshotId)).toHaveLength(volumes);
      expect(drillRows(run, run.report)).toHaveLength(volumes);
      expect(bytes(run.output)).toBeLessThan(OUTPUT_LIMIT_BYTES);
      expect(run.largestStatePayloadBytes).toBeLessThan(
        OUTPUT_LIMIT_BYTES +
          bytes(fleet.gateways.map((g) => `arn:aws:storagegateway:us-east-1:111122223333:gateway/${g.id}`)),
      );
    },
    600_000,
  );

  it("gives a second run's manifest every volume, with the first run's snapshot IDs", async () => {
    // Prepare
    const fleet = generateFleet({ gateways: 3, volumesPerGateway: 5 });
    workflow = await startLocalWorkflow({ fleet, faults: [NO_VISIBILITY_LAG] });
    const first = await workflow.run();

    // Act
    const second = await workflow.run();

    // Assess
    const restoreFrom = (run: WorkflowRun) =>
      new Map(run.report?.manifest.flatMap((g) => g.volumes.map((v) => [v.volumeArn, v.snapshotId] as const)));
    expect(second.report?.summary).toMatchObject({ created: 0, skippedByReason: { 'already-snapshotted': 15 } });
    expect(restoreFrom(second)).toEqual(restoreFrom(first));
    expect([...restoreFrom(second).values()].every((id) => id?.startsWith('snap-'))).toBe(true);
    expect(second.report?.manifest.flatMap((g) => g.volumes).every((v) => v.source === 'existing')).toBe(true);
  });

  it('names the snapshot of a volume whose create failed after Storage Gateway made it', async () => {
    // Prepare: the create of one volume takes effect, then answers a permanent error.
    const fleet = generateFleet({ gateways: 1, volumesPerGateway: 3 });
    const gateway = fleet.gateways[0];
    const broken = volumeArnOf(fleet, gateway?.id ?? '', gateway?.volumes[1]?.id ?? '');
    workflow = await startLocalWorkflow({
      fleet,
      faults: [
        {
          operation: 'CreateSnapshotFromVolumeRecoveryPoint',
          volumeArn: broken,
          error: 'InvalidGatewayRequestException',
          afterEffect: true,
        },
        // Summarise looks the snapshot up by the execution's tag once: inside EC2's lag it would not see it yet.
        NO_VISIBILITY_LAG,
      ],
    });

    // Act
    const run = await workflow.run();

    // Assess
    const made = workflow.emulator.snapshots().find((s) => s.volumeArn === broken);
    expect(run.status).toBe('FAILED');
    expect(made).toBeDefined();
    expect(run.report?.failures).toEqual([
      expect.objectContaining({
        volumeArn: broken,
        error: 'InvalidGatewayRequestException',
        snapshotId: made?.snapshotId,
      }),
    ]);
  });

  it('keeps every created snapshot ID in the evidence when the completion wait times out', async () => {
    // Prepare: snapshots take an hour; the wait gives up after 60 ms.
    const fleet = generateFleet({ gateways: 2, volumesPerGateway: 4 });
    workflow = await startLocalWorkflow({ fleet, snapshotCompletionMs: 3_600_000 });

    // Act
    const run = await workflow.run({ waitForCompletion: true, completionTimeoutMinutes: 0.001 });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe(SNAPSHOTS_FAILED);
    const made = workflow.emulator.snapshots().map((s) => s.snapshotId);
    expect(made).toHaveLength(8);
    expect(run.report?.failures.map((f) => [f.error, f.snapshotId, f.state])).toEqual(
      expect.arrayContaining(made.map((id) => [SNAPSHOT_NOT_COMPLETED, id, 'pending'])),
    );
    expect(run.report?.failures).toHaveLength(8);
  });

  it('keeps every created snapshot ID in the evidence when DescribeSnapshots fails for good during the wait', async () => {
    // Prepare: EC2 answers DescribeSnapshots with an internal error from the first completion check on.
    const fleet = generateFleet({ gateways: 2, volumesPerGateway: 4 });
    workflow = await startLocalWorkflow({ fleet, snapshotCompletionMs: 3_600_000 });
    const emulator = workflow.emulator;

    // Act
    const run = await workflow.run(
      { waitForCompletion: true },
      {
        onEvent: (event) => {
          if (event.type === 'StateEntered' && event.state.name === SnapshotState.CheckSnapshots) {
            emulator.setFaults([{ operation: 'DescribeSnapshots', error: 'InternalError' }]);
          }
        },
      },
    );

    // Assess
    expect(run.status).toBe('FAILED');
    const made = workflow.emulator.snapshots().map((s) => s.snapshotId);
    expect(made).toHaveLength(8);
    expect(run.report?.failures.map((f) => [f.error, f.snapshotId])).toEqual(
      expect.arrayContaining(made.map((id) => ['InternalError', id])),
    );
    expect(run.report?.manifest.flatMap((g) => g.volumes).every((v) => v.snapshotId === null)).toBe(true);
  });
});
