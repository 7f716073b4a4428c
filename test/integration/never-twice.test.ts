import { SNAPSHOT_ERROR, SNAPSHOTS_FAILED } from '../../src/errors.ts';
import { volumeArnOf } from '../../src/local/emulator/index.ts';
import { generateFleet } from '../../src/local/fleet.ts';
import { type LocalWorkflow, NO_VISIBILITY_LAG, startLocalWorkflow } from '../helpers/local-workflow.ts';

const fleet = generateFleet({ gateways: 2, volumesPerGateway: 4 });
const volumeArn = (gateway: number, volume: number) =>
  volumeArnOf(fleet, fleet.gateways[gateway]?.id ?? '', fleet.gateways[gateway]?.volumes[volume]?.id ?? '');
const snapshotsPerRecoveryPoint = (workflow: LocalWorkflow) => {
  const counts = new Map<string, number>();
  for (const s of workflow.emulator.snapshots()) {
    const key = `${s.volumeArn}@${s.recoveryPointTime}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
};

describe('never twice, never lost', () => {
  let workflow: LocalWorkflow | undefined;
  afterEach(async () => {
    await workflow?.close();
    workflow = undefined;
  });

  it('creates nothing on a second run over an unchanged fleet, and only the moved point after a move', async () => {
    // Prepare
    workflow = await startLocalWorkflow({ fleet, faults: [NO_VISIBILITY_LAG] });
    const first = await workflow.run();

    // Act
    const second = await workflow.run();
    const moved = workflow.emulator.advanceRecoveryPoint(volumeArn(1, 2));
    const third = await workflow.run();

    // Assess
    expect(first.report?.summary.created).toBe(8);
    expect(second.status).toBe('SUCCEEDED');
    expect(second.report?.summary).toMatchObject({ created: 0, skippedByReason: { 'already-snapshotted': 8 } });
    expect(third.report?.snapshots).toEqual([
      expect.objectContaining({ volumeArn: volumeArn(1, 2), recoveryPointTime: moved, status: 'created' }),
    ]);
    expect(workflow.emulator.snapshots()).toHaveLength(9);
  });

  it('leaves exactly one snapshot when a create answers 500 after making it', async () => {
    // Prepare
    const ambiguous = volumeArn(0, 1);
    workflow = await startLocalWorkflow({
      fleet,
      faults: [
        {
          operation: 'CreateSnapshotFromVolumeRecoveryPoint',
          volumeArn: ambiguous,
          error: 'InternalServerError',
          firstN: 1,
          afterEffect: true,
        },
      ],
    });

    // Act
    const run = await workflow.run();

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.snapshots.find((s) => s.volumeArn === ambiguous)?.status).toBe('existing');
    expect(run.report?.summary).toMatchObject({ created: 7, existing: 1, failed: 0 });
    expect([...snapshotsPerRecoveryPoint(workflow).values()]).toEqual(Array(8).fill(1));
  });

  it('reports already-snapshotted points in a dry run too', async () => {
    // Prepare
    workflow = await startLocalWorkflow({ fleet, faults: [NO_VISIBILITY_LAG] });
    await workflow.run();
    workflow.emulator.resetCalls();

    // Act
    const run = await workflow.run({ dryRun: true });

    // Assess
    expect(run.report?.summary).toMatchObject({ wouldCreate: 0, skippedByReason: { 'already-snapshotted': 8 } });
    expect(workflow.emulator.calls.map((c) => c.operation)).not.toContain('CreateSnapshotFromVolumeRecoveryPoint');
  });

  it('follows NextToken through every page of DescribeSnapshots', async () => {
    // Prepare: pages of 3 snapshots, 4 snapshots per gateway.
    workflow = await startLocalWorkflow({ fleet, describeSnapshotsPageLimit: 3, faults: [NO_VISIBILITY_LAG] });
    await workflow.run();
    workflow.emulator.resetCalls();

    // Act
    const run = await workflow.run();

    // Assess
    expect(run.report?.summary.skippedByReason['already-snapshotted']).toBe(8);
    const pages = workflow.emulator.calls.filter((c) => c.operation === 'DescribeSnapshots');
    expect(pages.some((c) => typeof c.params.NextToken === 'string')).toBe(true);
  });

  it('waits until every snapshot is completed when asked to', async () => {
    // Prepare
    workflow = await startLocalWorkflow({ fleet, snapshotCompletionMs: 300 });

    // Act
    const run = await workflow.run({ waitForCompletion: true });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.snapshots.map((s) => s.state)).toEqual(Array(8).fill('completed'));
    expect(run.report?.manifest.flatMap((g) => g.volumes.map((v) => v.state))).toEqual(Array(8).fill('completed'));
    expect(
      run.events.filter((e) => e.type === 'StateEntered' && e.state.name === 'CheckSnapshots').length,
    ).toBeGreaterThan(1);
  });

  it('fails the execution naming a snapshot that ends in error', async () => {
    // Prepare
    workflow = await startLocalWorkflow({ fleet, snapshotCompletionMs: 200 });
    workflow.emulator.failSnapshots(volumeArn(1, 0));

    // Act
    const run = await workflow.run({ waitForCompletion: true });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe(SNAPSHOTS_FAILED);
    expect(run.report?.failures).toEqual([
      expect.objectContaining({ volumeArn: volumeArn(1, 0), error: SNAPSHOT_ERROR }),
    ]);
    expect(run.report?.summary).toMatchObject({ created: 7, failed: 1 });
  });
});
