import {
  buildDrillReport,
  type DrillReportSource,
  escapeHtml,
  renderDrillHtml,
  renderDrillMarkdown,
} from '../../../src/cli/drill-report/index.ts';
import { rendererFor } from '../../../src/cli/drill-report/write.ts';
import { buildReport, type ExecutionReport } from '../../../src/report/execution-report.ts';
import { gatewayReportOf } from '../../../src/report/gateway-report.ts';
import { optionsOf } from '../../helpers/fixtures.ts';

const GATEWAY = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-12A3456B';
const volume = (id: string) => `${GATEWAY}/volume/${id}`;
const START = new Date('2025-01-15T12:00:00Z');
const STOP = new Date('2025-01-15T12:05:00Z');
const EXECUTION = { id: 'arn:exec', name: 'drill', startTime: START.toISOString() };
const GIB = 2 ** 30;

/**
 * vol-1 created now (its time in the evidence), vol-2 created and completed (no time: an older report), vol-3 too
 * new with an earlier snapshot, vol-4 failed with nothing to restore from, vol-5 too new with nothing.
 */
function reportWith(fields: { dryRun?: boolean } = {}): ExecutionReport {
  const point = (id: string, time: string) => ({
    volumeArn: volume(id),
    recoveryPointTime: time,
    sizeBytes: 100 * GIB,
  });
  const gateway = gatewayReportOf({
    gatewayArn: GATEWAY,
    options: optionsOf({ dryRun: fields.dryRun ?? false }),
    execution: EXECUTION,
    listed: {
      recoveryPoints: 5,
      selected: [
        point('vol-1', '2025-01-15T11:30:00.000Z'),
        point('vol-2', '2025-01-15T11:00:00.000Z'),
        point('vol-4', '2025-01-15T11:00:00.000Z'),
      ],
      skipped: [
        { ...point('vol-3', '2025-01-15T11:58:00.000Z'), reason: 'too-new' },
        { ...point('vol-5', '2025-01-15T11:59:00.000Z'), reason: 'too-new' },
      ],
      failures: [],
      earlierSnapshots: [
        {
          volumeArn: volume('vol-3'),
          snapshotId: 'snap-3-old',
          recoveryPointTime: '2025-01-15T06:00:00.000Z',
          state: 'completed',
          snapshotTime: '2025-01-15T06:10:00.000Z',
        },
      ],
    },
    outcomes: fields.dryRun
      ? []
      : [
          {
            ...point('vol-1', '2025-01-15T11:30:00.000Z'),
            snapshotId: 'snap-1',
            status: 'created',
            snapshotTime: '2025-01-15T12:01:00.000Z',
          },
          { ...point('vol-2', '2025-01-15T11:00:00.000Z'), snapshotId: 'snap-2', status: 'created' },
          {
            volumeArn: volume('vol-4'),
            recoveryPointTime: '2025-01-15T11:00:00.000Z',
            failure: { Error: 'InvalidGatewayRequestException', Cause: '<script>alert("x")</script> | pipe' },
          },
        ],
  });
  const completed = {
    ...gateway,
    snapshots: gateway.snapshots.map((s) => (s.snapshotId === 'snap-2' ? { ...s, state: 'completed' } : s)),
  };
  return buildReport({
    execution: EXECUTION,
    dryRun: fields.dryRun ?? false,
    gateways: [completed],
    gatewayNames: new Map([[GATEWAY, 'London DC']]),
    evidence: { prefix: 's3://evidence/executions/sm/drill/', report: 'r', manifest: 'm', csv: 'c' },
  });
}

function source(overrides: Partial<DrillReportSource> = {}): DrillReportSource {
  return {
    generatedAt: new Date('2025-01-15T12:06:00Z'),
    caller: { arn: 'arn:aws:iam::111122223333:user/operator', account: '111122223333', osUser: 'op' },
    execution: {
      executionArn: 'arn:aws:states:us-east-1:111122223333:execution:sm:drill',
      stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:sm',
      name: 'drill',
      status: 'FAILED',
      startDate: START,
      stopDate: STOP,
      input: '{"policy":{"minAgeMinutes":5}}',
      error: 'SnapshotsFailed',
    },
    report: reportWith(),
    ...overrides,
  };
}

describe('buildDrillReport', () => {
  it('gives every volume in scope a row: what it restores from, the snapshot time, the achieved RPO and how this run left it', () => {
    // Act
    const report = buildDrillReport(source());

    // Assess
    expect(report.passed).toBe(false);
    expect(report.gateways.map((g) => [g.gatewayId, g.gatewayName])).toEqual([['sgw-12A3456B', 'London DC']]);
    expect(report.gateways[0]?.rows).toEqual([
      expect.objectContaining({
        volumeId: 'vol-1',
        sizeBytes: 100 * GIB,
        snapshotId: 'snap-1',
        source: 'created',
        snapshotTime: '2025-01-15T12:01:00.000Z',
        snapshotTimeSource: 'evidence',
        pointAgeAtSnapshotMs: 31 * 60_000,
        achievedRpoMs: 30 * 60_000,
        finalState: 'created',
        failed: false,
      }),
      expect.objectContaining({
        volumeId: 'vol-2',
        snapshotId: 'snap-2',
        snapshotTime: STOP.toISOString(),
        snapshotTimeSource: 'execution-end',
        pointAgeAtSnapshotMs: 65 * 60_000,
        achievedRpoMs: 60 * 60_000,
        finalState: 'completed',
      }),
      expect.objectContaining({
        volumeId: 'vol-3',
        snapshotId: 'snap-3-old',
        source: 'earlier-run',
        achievedRpoMs: 6 * 60 * 60_000,
        finalState: 'skipped: too-new',
        failed: false,
      }),
      expect.objectContaining({
        volumeId: 'vol-4',
        failed: true,
        finalState: 'FAILED: InvalidGatewayRequestException',
      }),
      expect.objectContaining({ volumeId: 'vol-5', failed: true, finalState: 'skipped: too-new' }),
    ]);
    expect(report.gateways[0]?.rows[3]?.snapshotId).toBeUndefined();
    expect(report.volumesWithoutSnapshot).toBe(2);
    expect(report.worstRpoMs).toBe(6 * 60 * 60_000);
    expect(report.startToLastSnapshotMs).toBe(5 * 60_000);
    expect(report.evidence?.prefix).toBe('s3://evidence/executions/sm/drill/');
    expect(report.skips.map((s) => [s.volumeId, s.reason])).toEqual([
      ['vol-3', 'too-new'],
      ['vol-5', 'too-new'],
    ]);
    expect(report.notes).toEqual([expect.stringContaining('no usable snapshot'), expect.stringContaining('≤')]);
  });

  it('fails a drill that succeeded when a volume misses the RPO target, and passes it when all meet it', () => {
    // Prepare
    const succeeded = { ...source().execution, status: 'SUCCEEDED' as const };
    const covered = reportWith();
    covered.manifest = covered.manifest.map((g) => ({ ...g, volumes: g.volumes.filter((v) => v.snapshotId) }));

    // Act
    const strict = buildDrillReport(source({ execution: succeeded, report: covered, rpoTargetMs: 4 * 60 * 60_000 }));
    const lenient = buildDrillReport(source({ execution: succeeded, report: covered, rpoTargetMs: 8 * 60 * 60_000 }));

    // Assess
    expect(strict.rpoMissed).toBe(1);
    expect(strict.gateways[0]?.rows.find((r) => r.volumeId === 'vol-3')).toMatchObject({ rpoMet: false, failed: true });
    expect(strict.passed).toBe(false);
    expect(lenient.rpoMissed).toBe(0);
    expect(lenient.passed).toBe(true);
  });

  it('never passes a succeeded drill in which a volume in scope has no usable snapshot, or no volume was in scope', () => {
    // Prepare
    const succeeded = { ...source().execution, status: 'SUCCEEDED' as const };
    const empty = { ...reportWith(), manifest: [] };

    // Act
    const uncovered = buildDrillReport(source({ execution: succeeded }));
    const nothing = buildDrillReport(source({ execution: succeeded, report: empty }));

    // Assess
    expect(uncovered.passed).toBe(false);
    expect(nothing.passed).toBe(false);
    expect(nothing.notes).toEqual([expect.stringContaining('No volume was in scope')]);
  });

  it('passes a run right after the scheduled one on the snapshots already there, each row naming its ID and state', () => {
    // Prepare: vol-1's point is held by a snapshot an earlier run made; vol-2's snapshot was found existing.
    const gateway = gatewayReportOf({
      gatewayArn: GATEWAY,
      options: optionsOf({ dryRun: false }),
      execution: EXECUTION,
      listed: {
        recoveryPoints: 2,
        selected: [{ volumeArn: volume('vol-2'), recoveryPointTime: '2025-01-15T11:00:00.000Z', sizeBytes: GIB }],
        skipped: [
          {
            volumeArn: volume('vol-1'),
            recoveryPointTime: '2025-01-15T11:30:00.000Z',
            sizeBytes: GIB,
            reason: 'already-snapshotted',
            snapshotId: 'snap-1-scheduled',
          },
        ],
        failures: [],
        earlierSnapshots: [
          {
            volumeArn: volume('vol-1'),
            snapshotId: 'snap-1-scheduled',
            recoveryPointTime: '2025-01-15T11:30:00.000Z',
            state: 'completed',
            snapshotTime: '2025-01-15T11:35:00.000Z',
          },
        ],
      },
      outcomes: [
        {
          volumeArn: volume('vol-2'),
          recoveryPointTime: '2025-01-15T11:00:00.000Z',
          snapshotId: 'snap-2-existing',
          status: 'existing',
          sizeBytes: GIB,
          snapshotTime: '2025-01-15T11:05:00.000Z',
        },
      ],
    });
    const withState = {
      ...gateway,
      snapshots: gateway.snapshots.map((s) => ({ ...s, state: 'completed' })),
    };
    const report = buildReport({ execution: EXECUTION, dryRun: false, gateways: [withState] });
    const succeeded = { ...source().execution, status: 'SUCCEEDED' as const };

    // Act
    const drill = buildDrillReport(source({ execution: succeeded, report, rpoTargetMs: 4 * 60 * 60_000 }));

    // Assess
    expect(drill.passed).toBe(true);
    expect(drill.gateways[0]?.rows).toEqual([
      expect.objectContaining({
        volumeId: 'vol-1',
        snapshotId: 'snap-1-scheduled',
        source: 'existing',
        snapshotTime: '2025-01-15T11:35:00.000Z',
        snapshotTimeSource: 'evidence',
        finalState: 'skipped: already-snapshotted',
        rpoMet: true,
        failed: false,
      }),
      expect.objectContaining({
        volumeId: 'vol-2',
        snapshotId: 'snap-2-existing',
        source: 'existing',
        finalState: 'existing, completed',
        rpoMet: true,
        failed: false,
      }),
    ]);
    expect(drill.startToLastSnapshotMs).toBeUndefined();
    expect(drill.notes).toEqual([]);
  });

  it('shows the execution error when the execution ended without a report, and says the caller is a placeholder', () => {
    // Act
    const report = buildDrillReport(
      source({
        report: undefined,
        caller: { arn: 'local (no AWS account)', osUser: 'op', placeholderReason: 'the endpoint is local' },
        execution: { ...source().execution, error: 'InvalidInput', cause: 'policy.minAgeMinutes: Too small' },
      }),
    );

    // Assess
    expect(report.executionError).toEqual({ error: 'InvalidInput', cause: 'policy.minAgeMinutes: Too small' });
    expect(report.gateways).toEqual([]);
    expect(report.notes).toEqual([
      expect.stringContaining('placeholder: the endpoint is local'),
      expect.stringContaining('without a report'),
    ]);
  });
});

describe('the drill report renderers', () => {
  it('escape what the report quotes in HTML', () => {
    // Act
    const html = renderDrillHtml(buildDrillReport(source()));

    // Assess
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('<tr class="failed"><td>vol-4</td>');
    expect(html).toContain('td{white-space:nowrap}');
    expect(html).toContain('<td class="text">&lt;script&gt;');
    expect(html).toContain('<h2>Gateway sgw-12A3456B (London DC)</h2>');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('keep a Markdown table cell in its column and mark upper bounds', () => {
    // Act
    const markdown = renderDrillMarkdown(buildDrillReport(source()));

    // Assess
    expect(markdown).toContain('**Result: FAILED (execution FAILED)**');
    expect(markdown).toContain(
      '| vol-1 | 100 GiB | snap-1 | created | 2025-01-15T11:30:00.000Z | 2025-01-15T12:01:00.000Z | 31 min 00 s | 30 min 00 s | — | created |',
    );
    expect(markdown).toContain(
      '| vol-2 | 100 GiB | snap-2 | created | 2025-01-15T11:00:00.000Z | ≤ 2025-01-15T12:05:00.000Z | ≤ 1 h 05 min | 1 h 00 min | — | completed |',
    );
    expect(markdown).toContain('| vol-5 | 100 GiB | NONE | — | — | — | — | — | — | skipped: too-new |');
    expect(markdown).toContain('| Evidence | s3://evidence/executions/sm/drill/ |');
    expect(markdown).toContain('\\<script\\>alert("x")\\</script\\> \\| pipe');
    expect(markdown).toContain('```json\n{\n  "policy": {\n    "minAgeMinutes": 5\n  }\n}\n```');
  });

  it('are chosen by the file name', () => {
    // Assess
    expect(rendererFor('drill.html')).toBe(renderDrillHtml);
    expect(rendererFor('DRILL.HTM')).toBe(renderDrillHtml);
    expect(rendererFor('drill.md')).toBe(renderDrillMarkdown);
  });
});
