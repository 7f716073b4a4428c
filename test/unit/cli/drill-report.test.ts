import type { HistoryEvent } from '@aws-sdk/client-sfn';
import {
  buildDrillReport,
  type DrillReportSource,
  escapeHtml,
  renderDrillHtml,
  renderDrillMarkdown,
} from '../../../src/cli/drill-report/index.ts';
import { rendererFor } from '../../../src/cli/drill-report/write.ts';
import type { ExecutionReport } from '../../../src/report/execution-report.ts';
import { snapshotWorkflow } from '../../../src/workflow/snapshot.ts';

const GATEWAY = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-12A3456B';
const volume = (id: string) => `${GATEWAY}/volume/${id}`;
const START = new Date('2025-01-15T12:00:00Z');
const STOP = new Date('2025-01-15T12:05:00Z');

function reportWith(overrides: Partial<ExecutionReport> = {}): ExecutionReport {
  return {
    dryRun: false,
    execution: { id: 'arn:exec', name: 'drill', startTime: START.toISOString() },
    summary: {
      gateways: 1,
      recoveryPoints: 4,
      selected: 3,
      created: 2,
      existing: 0,
      wouldCreate: 0,
      skipped: 1,
      failed: 1,
      skippedByReason: { 'too-new': 1 },
    },
    snapshots: [
      {
        gatewayArn: GATEWAY,
        volumeArn: volume('vol-1'),
        recoveryPointTime: '2025-01-15T11:30:00.000Z',
        snapshotId: 'snap-1',
        status: 'created',
        sizeBytes: 1,
      },
      {
        gatewayArn: GATEWAY,
        volumeArn: volume('vol-2'),
        recoveryPointTime: '2025-01-15T11:00:00.000Z',
        snapshotId: 'snap-2',
        status: 'created',
        sizeBytes: 1,
        state: 'completed',
      },
    ],
    skipped: [
      {
        gatewayArn: GATEWAY,
        volumeArn: volume('vol-3'),
        recoveryPointTime: '2025-01-15T11:58:00.000Z',
        reason: 'too-new',
      },
    ],
    failures: [
      {
        gatewayArn: GATEWAY,
        volumeArn: volume('vol-4'),
        error: 'InvalidGatewayRequestException',
        cause: '<script>alert("x")</script> | pipe',
      },
    ],
    manifest: [],
    ...overrides,
  };
}

function source(overrides: Partial<DrillReportSource> = {}): DrillReportSource {
  const snapshotMade: HistoryEvent = {
    id: 7,
    previousEventId: 6,
    type: 'TaskStateExited',
    timestamp: new Date('2025-01-15T12:01:00Z'),
    stateExitedEventDetails: {
      name: 'CreateSnapshot',
      output: JSON.stringify({ snapshotId: 'snap-1', status: 'created' }),
    },
  };
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
    events: [snapshotMade],
    workflow: snapshotWorkflow,
    ...overrides,
  };
}

describe('buildDrillReport', () => {
  it('gives each volume its snapshot and the achieved RPO: snapshot time from the history, else the execution end as an upper bound', () => {
    // Act
    const report = buildDrillReport(source());

    // Assess
    expect(report.passed).toBe(false);
    expect(report.gateways).toHaveLength(1);
    expect(report.gateways[0]?.rows).toEqual([
      expect.objectContaining({
        volumeId: 'vol-1',
        snapshotId: 'snap-1',
        snapshotTime: '2025-01-15T12:01:00.000Z',
        snapshotTimeSource: 'history',
        achievedRpoMs: 31 * 60_000,
        finalState: 'created',
      }),
      expect.objectContaining({
        volumeId: 'vol-2',
        snapshotId: 'snap-2',
        snapshotTime: STOP.toISOString(),
        snapshotTimeSource: 'execution-end',
        achievedRpoMs: 65 * 60_000,
        finalState: 'completed',
      }),
      expect.objectContaining({
        volumeId: 'vol-4',
        failed: true,
        finalState: 'FAILED: InvalidGatewayRequestException',
      }),
    ]);
    expect(report.startToLastSnapshotMs).toBe(5 * 60_000);
    expect(report.worstRpoMs).toBe(65 * 60_000);
    expect(report.skips).toEqual([
      {
        gatewayId: 'sgw-12A3456B',
        volumeId: 'vol-3',
        recoveryPointTime: '2025-01-15T11:58:00.000Z',
        reason: 'too-new',
      },
    ]);
    expect(report.notes).toEqual([expect.stringContaining('upper bound')]);
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
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('keep a Markdown table cell in its column and mark upper bounds', () => {
    // Act
    const markdown = renderDrillMarkdown(buildDrillReport(source()));

    // Assess
    expect(markdown).toContain('**Result: FAILED (execution FAILED)**');
    expect(markdown).toContain(
      '| vol-1 | snap-1 | 2025-01-15T11:30:00.000Z | 2025-01-15T12:01:00.000Z | 31 min 00 s | created |',
    );
    expect(markdown).toContain(
      '| vol-2 | snap-2 | 2025-01-15T11:00:00.000Z | ≤ 2025-01-15T12:05:00.000Z | ≤ 1 h 05 min | completed |',
    );
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
