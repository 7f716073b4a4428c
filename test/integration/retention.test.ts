import {
  CreateTagsCommand,
  DescribeLockedSnapshotsCommand,
  DescribeSnapshotsCommand,
  LockSnapshotCommand,
} from '@aws-sdk/client-ec2';
import { DELETE_CONCURRENCY, TAG_SLICE } from '../../src/aws/delete-snapshots.ts';
import { EC2_MUTATING_BUCKET } from '../../src/local/emulator/cloud-rules.ts';
import { SNAPSHOT_IN_USE } from '../../src/local/emulator/ec2-lifecycle-operations.ts';
import type { FaultRule } from '../../src/local/emulator/index.ts';
import { type GenerateFleetOptions, generateFleet } from '../../src/local/fleet.ts';
import { REPORT_COLUMNS, reportRows } from '../../src/report/rows.ts';
import { LEGAL_HOLD_TAG } from '../../src/snapshot/tags.ts';
import { type LocalWorkflow, startLocalWorkflow } from '../helpers/local-workflow.ts';

/** The tiers people start from: 4 latest, 7 days, 4 weeks, 12 months, 3 years. */
const POLICY = { keepLast: 4, keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepYearly: 3 };
const YEAR_OF_6_HOURLY = { days: 365, everyHours: 6 };
const THREE_DAYS_OF_6_HOURLY = { days: 3, everyHours: 6 };
const PER_VOLUME = (365 * 24) / 6;
/** The acceptance point's fleet: three gateways with a year of history, one volume each (the tiers are per volume). */
const YEAR_ON_THREE_GATEWAYS = { gateways: 3, volumesPerGateway: 1, snapshotHistory: YEAR_OF_6_HOURLY };
describe('retention in the scheduled workflow', () => {
  let workflow: LocalWorkflow | undefined;
  afterEach(async () => {
    await workflow?.close();
    workflow = undefined;
  });

  /** A fresh workflow over a generated fleet, under AWS's rules unless `cloud` says otherwise. */
  const start = async (fleet: GenerateFleetOptions, cloud?: readonly FaultRule[]): Promise<LocalWorkflow> => {
    workflow = await startLocalWorkflow({ fleet: generateFleet(fleet), ...(cloud && { cloud }) });
    return workflow;
  };

  const held = () => workflow?.emulator.snapshots() ?? [];
  const byVolume = () => Map.groupBy(held(), (s) => s.volumeArn);

  it('prunes a year of history on three gateways to the policy in one run; a legal hold, a lock and a snapshot in use survive and are reported', async () => {
    // Prepare: three old snapshots of the first volume no rule keeps.
    await start(YEAR_ON_THREE_GATEWAYS);
    const [hold, locked, used] = held()
      .slice(10, 13)
      .map((s) => s.snapshotId) as [string, string, string];
    await workflow?.ec2.send(
      new CreateTagsCommand({ Resources: [hold], Tags: [{ Key: LEGAL_HOLD_TAG, Value: 'case-7' }] }),
    );
    await workflow?.ec2.send(new LockSnapshotCommand({ SnapshotId: locked, LockMode: 'governance', LockDuration: 30 }));
    workflow?.emulator.setFaults([{ operation: 'DeleteSnapshot', snapshotId: used, error: SNAPSHOT_IN_USE }]);

    // Act
    const run = await workflow?.run({ retention: POLICY }, { keepEvents: false });

    // Assess: the run succeeded, made one snapshot per volume, and kept only what the rules and guards keep.
    expect({ status: run?.status, failures: run?.digest?.failures }).toEqual({ status: 'SUCCEEDED', failures: [] });
    // The rounds' cursor keeps every state small, whatever the history.
    expect(run?.largestStatePayloadBytes).toBeLessThan(16_000);
    const rows = run?.report?.retention ?? [];
    expect(rows).toHaveLength(3 * (PER_VOLUME + 1));
    const survivors = new Set(held().map((s) => s.snapshotId));
    const kept = rows.filter((r) => r.outcome === 'kept' || r.outcome === 'in-use');
    expect(new Set(kept.map((r) => r.snapshotId))).toEqual(survivors);
    expect(rows.filter((r) => r.outcome === 'deleted').every((r) => !survivors.has(r.snapshotId))).toBe(true);
    for (const [, snapshots] of byVolume()) {
      // 4 + 7 + 4 + 12 + 1 periods, overlapping at the newest: about two dozen, never a year's 1,461.
      expect(snapshots.length).toBeGreaterThanOrEqual(20);
      expect(snapshots.length).toBeLessThanOrEqual(31);
    }
    const row = (id: string) => rows.find((r) => r.snapshotId === id);
    expect(row(hold)).toMatchObject({ outcome: 'kept', rules: [], guards: ['legal-hold'] });
    expect(row(locked)).toMatchObject({ outcome: 'kept', rules: [], guards: ['locked'] });
    expect(row(used)).toMatchObject({ outcome: 'in-use', error: SNAPSHOT_IN_USE });
    expect(run?.report?.summary.retention).toEqual({
      kept: kept.length - 1,
      deleted: rows.length - kept.length,
      wouldDelete: 0,
      inUse: 1,
      deleteFailed: 0,
      notDeleted: 0,
      deferred: 0,
      locked: 0,
      lockFailed: 0,
      archived: 0,
      archiveFailed: 0,
      wouldArchive: 0,
      stepFailures: 0,
    });
    // report.csv lists every deletion and the snapshot in use, with its reason.
    const csv = reportRows(run?.report ?? ({} as never)).map((cells) =>
      Object.fromEntries(REPORT_COLUMNS.map((c, i) => [c, cells[i]])),
    );
    expect(csv.filter((r) => r.outcome === 'deleted')).toHaveLength(rows.length - kept.length);
    expect(csv.filter((r) => r.outcome === 'deleted').every((r) => r.reason_or_error === 'no-rule')).toBe(true);
    expect(csv.find((r) => r.snapshot_id === used)).toMatchObject({ outcome: 'in-use' });
  }, 120_000);

  it('deletes nothing in a dry run, and lists every snapshot it would delete by ID and why', async () => {
    // Prepare: a year on one gateway (a dry run deletes nothing, so the acceptance fleet's size adds nothing here).
    await start({ ...YEAR_ON_THREE_GATEWAYS, gateways: 1 });
    const before = held().map((s) => s.snapshotId);

    // Act
    const run = await workflow?.run({ retention: { ...POLICY, maxAgeDays: 200 }, dryRun: true }, { keepEvents: false });

    // Assess
    expect(run?.status).toBe('SUCCEEDED');
    expect(held().map((s) => s.snapshotId)).toEqual(before);
    const would = (run?.report?.retention ?? []).filter((r) => r.outcome === 'would-delete');
    expect(would.length).toBeGreaterThan(PER_VOLUME - 31);
    expect(new Set(would.map((r) => r.reason))).toEqual(new Set(['no-rule', 'older-than-max-age']));
    expect(run?.report?.summary.retention).toMatchObject({ deleted: 0, wouldDelete: would.length });
  }, 120_000);

  it('deletes nothing without a retention policy', async () => {
    // Prepare: three days of history are as good as a year for a run that plans no retention.
    await start({ gateways: 1, volumesPerGateway: 1, snapshotHistory: THREE_DAYS_OF_6_HOURLY });

    const run = await workflow?.run({}, { keepEvents: false });

    expect(run?.status).toBe('SUCCEEDED');
    expect(held()).toHaveLength((3 * 24) / 6 + 1);
    expect(run?.report?.retention).toBeUndefined();
  }, 120_000);

  it("prunes past the mutating bucket's burst under EC2's own buckets: the wait between rounds refills it", async () => {
    // Prepare: a month of 6-hourly history on one volume, twice and more the deletions EC2's burst allows at once.
    const workflow = await start({ gateways: 1, volumesPerGateway: 1, snapshotHistory: { days: 30, everyHours: 6 } });
    const exited = (name: string) => (e: { type: string; state?: { name: string } }) =>
      e.type === 'StateExited' && e.state?.name === name;

    // Act
    const run = await workflow.run({ retention: { keepDaily: 3 } });

    // Assess: every planned deletion done, in rounds EC2's buckets cut; each round after a wait found the bucket
    // full again (10 s at 5 tokens a second), as on AWS, not a handful of tokens for the runner's 50 ms.
    expect(run.status).toBe('SUCCEEDED');
    const rows = run.report?.retention ?? [];
    const deleted = rows.filter((r) => r.outcome === 'deleted');
    expect(deleted.length).toBeGreaterThan(2 * EC2_MUTATING_BUCKET.burst);
    expect(run.report?.summary.retention).toMatchObject({ deleted: deleted.length, notDeleted: 0, deleteFailed: 0 });
    expect(held().filter((s) => deleted.some((r) => r.snapshotId === s.snapshotId))).toEqual([]);
    const cursors = run.events
      .filter(exited('ApplyRetention'))
      .map(
        (e) => (e as unknown as { state: { output: { retention: { cursor: number } } } }).state.output.retention.cursor,
      );
    const perRound = cursors.map((cursor, i) => cursor - (cursors[i - 1] ?? 0));
    expect(perRound.length).toBeGreaterThan(2);
    expect(perRound.slice(0, -1).every((n) => n >= EC2_MUTATING_BUCKET.burst - DELETE_CONCURRENCY)).toBe(true);
    expect(run.events.filter(exited('WaitBeforeRetention'))).toHaveLength(perRound.length - 1);
    // Each slice of deletions is tagged by one CreateTags: a few a round, not one per deletion.
    const tagCalls = workflow.emulator.calls.filter((c) => c.operation === 'CreateTags' && !c.error);
    expect(tagCalls.length).toBeLessThanOrEqual(perRound.length + Math.ceil(deleted.length / TAG_SLICE));
  }, 60_000);

  it('never deletes a snapshot whose tag failed: a refused slice is tagged and deleted snapshot by snapshot', async () => {
    // Prepare: a week on one volume; the slice's CreateTags is refused, and so is the first snapshot's own.
    const workflow = await start({ gateways: 1, volumesPerGateway: 1, snapshotHistory: { days: 7, everyHours: 6 } });
    workflow.emulator.setFaults([{ operation: 'CreateTags', firstN: 2, error: 'UnauthorizedOperation' }]);

    // Act
    const run = await workflow.run({ retention: { keepDaily: 3 } });

    // Assess: the snapshot whose tag failed is still there and reported; every other one was tagged, then deleted.
    expect(run.status).toBe('SUCCEEDED');
    const rows = run.report?.retention ?? [];
    const refused = rows.filter((r) => r.outcome === 'delete-failed');
    expect(refused).toEqual([expect.objectContaining({ error: 'UnauthorizedOperation' })]);
    const survivors = new Set(held().map((s) => s.snapshotId));
    expect(survivors.has(refused[0]?.snapshotId ?? '')).toBe(true);
    const deleted = rows.filter((r) => r.outcome === 'deleted').map((r) => r.snapshotId);
    expect(deleted.length).toBeGreaterThan(10);
    expect(deleted.filter((id) => survivors.has(id))).toEqual([]);
    const deletes = workflow.emulator.calls
      .filter((c) => c.operation === 'DeleteSnapshot')
      .map((c) => c.params.SnapshotId);
    expect(deletes).not.toContain(refused[0]?.snapshotId);
  }, 60_000);

  it('survives EC2 throttling its deletions, a transient error and a refused delete: that snapshot fails, not the run', async () => {
    // Prepare: a month of history on one volume; deletions throttled after 10 at once, the first two failing
    // transiently, and one snapshot refused for good.
    const workflow = await start({ gateways: 1, volumesPerGateway: 1, snapshotHistory: { days: 30, everyHours: 6 } }, [
      { operation: 'DeleteSnapshot', rateLimit: { burst: 10, perSecond: 50 } },
    ]);
    const refused = held()[5]?.snapshotId ?? '';
    workflow.emulator.setFaults([
      { operation: 'DeleteSnapshot', firstN: 2, error: 'InternalError' },
      { operation: 'DeleteSnapshot', snapshotId: refused, error: 'UnauthorizedOperation' },
    ]);

    // Act
    const run = await workflow.run({ retention: { keepDaily: 3 } });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    const rows = run.report?.retention ?? [];
    expect(rows.find((r) => r.snapshotId === refused)).toMatchObject({
      outcome: 'delete-failed',
      error: 'UnauthorizedOperation',
    });
    expect(run.report?.summary).toMatchObject({ failed: 0, retention: { deleteFailed: 1, notDeleted: 0 } });
    const deleted = rows.filter((r) => r.outcome === 'deleted').map((r) => r.snapshotId);
    expect(deleted).toHaveLength(4 * 30 + 1 - 3 - 1);
    expect(
      held()
        .map((s) => s.snapshotId)
        .filter((id) => deleted.includes(id)),
    ).toEqual([]);
    const entered = (name: string) =>
      run.events.filter((e) => e.type === 'StateEntered' && (e as { state: { name: string } }).state.name === name);
    expect(entered('ApplyRetention').length).toBeGreaterThan(2);
    expect(entered('WaitBeforeRetention').length).toBeGreaterThan(0);
    const errors = new Set(workflow.emulator.calls.filter((c) => c.operation === 'DeleteSnapshot').map((c) => c.error));
    expect(errors).toEqual(new Set([undefined, 'RequestLimitExceeded', 'InternalError', 'UnauthorizedOperation']));
  }, 60_000);

  it('locks the snapshots a run makes, reports each lock, and never deletes them', async () => {
    // Prepare: under AWS's rules, EC2's visibility lag included: the lock meets the run's snapshots before EC2
    // shows them.
    const workflow = await start({ gateways: 2, volumesPerGateway: 2, snapshotHistory: THREE_DAYS_OF_6_HOURLY });
    const before = new Set(held().map((s) => s.snapshotId));

    // Act
    const lock = { mode: 'compliance', durationDays: 30, coolOffHours: 24 } as const;
    const run = await workflow.run({ lock, retention: { keepLast: 1 } });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    const made = held().filter((s) => !before.has(s.snapshotId));
    expect(made).toHaveLength(4);
    const rows = run.report?.retention ?? [];
    const locked = rows.filter((r) => r.outcome === 'locked');
    expect(locked.map((r) => r.snapshotId).sort()).toEqual(made.map((s) => s.snapshotId).sort());
    expect(locked.every((r) => r.reason.startsWith('compliance-cooloff until '))).toBe(true);
    expect(rows.filter((r) => r.outcome === 'kept' && made.some((s) => s.snapshotId === r.snapshotId))).toHaveLength(4);
    expect(run.report?.summary.retention).toMatchObject({ locked: 4, lockFailed: 0, deleted: 4 * 12 });
    // EC2 locked each of them, which it does only once it shows the snapshot, so a client reading the locks back
    // after the run meets no visibility lag.
    const { Snapshots = [] } = await workflow.ec2.send(
      new DescribeLockedSnapshotsCommand({ SnapshotIds: made.map((s) => s.snapshotId) }),
    );
    expect(Snapshots.map((s) => s.LockState)).toEqual(made.map(() => 'compliance-cooloff'));
  }, 60_000);

  it('archives what the monthly and yearly tiers alone keep, marks it in the manifest, and archives nothing in a dry run', async () => {
    // Prepare: a year on one volume, under EC2's buckets for deleting and archiving.
    const workflow = await start({ gateways: 1, volumesPerGateway: 1, snapshotHistory: YEAR_OF_6_HOURLY });
    const input = { retention: POLICY, archive: { afterDays: 30, uniqueShare: 0.5 } };

    // Act
    const dry = await workflow.run({ ...input, dryRun: true }, { keepEvents: false });
    const run = await workflow.run(input, { keepEvents: false });

    // Assess
    const wouldArchive = (dry.report?.retention ?? []).filter((r) => r.outcome === 'would-archive');
    const archived = (run.report?.retention ?? []).filter((r) => r.outcome === 'archived');
    expect(wouldArchive.length).toBeGreaterThan(5);
    expect(archived.map((r) => r.snapshotId)).toEqual(wouldArchive.map((r) => r.snapshotId));
    const { Snapshots = [] } = await workflow.ec2.send(
      new DescribeSnapshotsCommand({ SnapshotIds: archived.map((r) => r.snapshotId) }),
    );
    expect(Snapshots.map((s) => s.StorageTier)).toEqual(archived.map(() => 'archive'));
    expect(run.report?.manifest[0]?.archived?.map((a) => a.snapshotId).sort()).toEqual(
      archived.map((r) => r.snapshotId).sort(),
    );
    expect(run.report?.manifest[0]?.archived?.[0]?.note).toContain('72 hours');
    expect(run.report?.summary.retention).toMatchObject({ archived: archived.length, archiveFailed: 0 });
  }, 60_000);
});
