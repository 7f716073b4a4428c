import { type CopiesTable, copiesTable } from '../../copies/report.ts';
import { readableCause } from '../../report/cause.ts';
import type { EvidenceLocations, ExecutionReport, ReportSummary } from '../../report/execution-report.ts';
import { type SnapshotSource, volumeIdOf } from '../../report/gateway-report.ts';
import type { ExecutionDescription } from '../sfn/step-functions.ts';
import type { CallerIdentity } from './caller.ts';
import type { RestoreDrillSection } from './restore.ts';

/** What a drill report is made from. */
export interface DrillReportSource {
  generatedAt: Date;
  caller: CallerIdentity;
  execution: ExecutionDescription;
  /** The execution's whole report (`report.json` of its evidence), when there is one. */
  report: ExecutionReport | undefined;
  /** The RPO the business agreed: each volume's achieved RPO is held against it, and one miss fails the drill. */
  rpoTargetMs?: number;
  /** Restore (issue 14): the restore section, when the execution is a restore; it passes or fails the drill. */
  restore?: RestoreDrillSection;
}

/** How a snapshot's creation time is known. */
export const SnapshotTimeSource = {
  Evidence: 'evidence',
  /** Not in the evidence: the execution's end, a time the snapshot existed by. */
  ExecutionEnd: 'execution-end',
} as const;
export type SnapshotTimeSource = (typeof SnapshotTimeSource)[keyof typeof SnapshotTimeSource];

/** One volume in scope: what it would be restored from, and how this run left it. */
export interface DrillRow {
  volumeId: string;
  volumeArn: string;
  sizeBytes?: number;
  /** The snapshot to restore from (the manifest's), if the volume has one. */
  snapshotId?: string;
  source?: SnapshotSource;
  recoveryPointTime?: string;
  snapshotTime?: string;
  snapshotTimeSource?: SnapshotTimeSource;
  /** Snapshot time − recovery point time: how old the point was when it was snapshotted. */
  pointAgeAtSnapshotMs?: number;
  /** Execution start − recovery point time (at least 0): the data a restore would lack had the site been lost then. */
  achievedRpoMs?: number;
  /** Against `rpoTargetMs`, when one was given. */
  rpoMet?: boolean;
  /** This run's outcome: `completed`, `pending`, `created`, `existing`, `would create`, `skipped: <reason>`, `FAILED: <error>`. */
  finalState: string;
  /** The volume failed in this run, or has nothing to restore from, or missed the RPO target. */
  failed: boolean;
}

export interface DrillGateway {
  gatewayArn: string;
  gatewayId: string;
  gatewayName?: string;
  rows: DrillRow[];
}

/** Everything a drill report shows, ready for a renderer; times are ISO strings. */
export interface DrillReport {
  title: string;
  generatedAt: string;
  status: string;
  passed: boolean;
  execution: {
    arn: string;
    name: string;
    stateMachineArn: string;
    startDate: string;
    stopDate?: string;
    durationMs?: number;
  };
  caller: CallerIdentity;
  inputJson: string;
  dryRun?: boolean;
  summary?: ReportSummary;
  gateways: DrillGateway[];
  /** From the start of the execution to the last snapshot made. */
  startToLastSnapshotMs?: number;
  worstRpoMs?: number;
  rpoTargetMs?: number;
  /** Volumes in scope with no usable snapshot: each fails the drill. */
  volumesWithoutSnapshot: number;
  /** Volumes whose achieved RPO is over the target: each fails the drill. */
  rpoMissed: number;
  evidence?: EvidenceLocations;
  skips: Array<{ gatewayId: string; volumeId: string; recoveryPointTime: string; reason: string }>;
  failures: Array<{ gatewayId: string; volumeId?: string; snapshotId?: string; error: string; cause: string }>;
  /** The execution ended without a report (bad input, time-out, abort): its error. */
  executionError?: { error: string; cause: string };
  /** Restore (issue 14): per volume the restored volume, its state, its RTO and what was cleaned up. */
  restore?: RestoreDrillSection;
  /** Copies (issue 13): which volumes have a usable copy in each destination. */
  copies?: CopiesTable;
  notes: string[];
}

/** Builds the report's data model from the execution's evidence; pure, every time comes from `source`. */
export function buildDrillReport(source: DrillReportSource): DrillReport {
  const { execution, report, rpoTargetMs, restore } = source;
  // A restore's drill stands on its restore section; a snapshot run's on its report.
  const reported = report !== undefined || restore !== undefined;
  const notes: string[] = [];
  const outcomes = outcomesByVolume(report);
  const startMs = execution.startDate.getTime();
  let usedExecutionEnd = false;
  const gateways: DrillGateway[] = (report?.manifest ?? []).map((gateway) => ({
    gatewayArn: gateway.gatewayArn,
    gatewayId: volumeIdOf(gateway.gatewayArn),
    ...(gateway.gatewayName ? { gatewayName: gateway.gatewayName } : {}),
    rows: gateway.volumes.map((volume) => {
      const outcome = outcomes.get(volume.volumeArn);
      const row: DrillRow = {
        volumeId: volumeIdOf(volume.volumeArn),
        volumeArn: volume.volumeArn,
        ...(volume.sizeBytes === undefined ? {} : { sizeBytes: volume.sizeBytes }),
        finalState: outcome?.state ?? (volume.reason ? `no snapshot: ${volume.reason}` : 'no snapshot'),
        failed: outcome?.failed === true || volume.snapshotId === null,
      };
      if (volume.snapshotId === null) return row;
      row.snapshotId = volume.snapshotId;
      if (volume.source) row.source = volume.source;
      if (volume.recoveryPointTime) row.recoveryPointTime = volume.recoveryPointTime;
      const time = volume.snapshotTime ?? (volume.source === 'created' ? execution.stopDate?.toISOString() : undefined);
      const pointMs = Date.parse(volume.recoveryPointTime ?? '');
      if (time) {
        row.snapshotTime = time;
        row.snapshotTimeSource = volume.snapshotTime ? SnapshotTimeSource.Evidence : SnapshotTimeSource.ExecutionEnd;
        usedExecutionEnd ||= !volume.snapshotTime;
        if (Number.isFinite(pointMs)) row.pointAgeAtSnapshotMs = Date.parse(time) - pointMs;
      }
      if (Number.isFinite(pointMs)) {
        row.achievedRpoMs = Math.max(0, startMs - pointMs);
        if (rpoTargetMs !== undefined) {
          row.rpoMet = row.achievedRpoMs <= rpoTargetMs;
          row.failed ||= !row.rpoMet;
        }
      }
      return row;
    }),
  }));

  const rows = gateways.flatMap((g) => g.rows);
  const made = rows.filter((row) => row.source === 'created' && row.snapshotTime);
  const lastSnapshotMs = Math.max(...made.map((row) => Date.parse(row.snapshotTime ?? '')));
  const rpos = rows.flatMap((row) => (row.achievedRpoMs === undefined ? [] : [row.achievedRpoMs]));
  const volumesWithoutSnapshot = rows.filter((row) => !row.snapshotId).length;
  const rpoMissed = rows.filter((row) => row.rpoMet === false).length;

  if (volumesWithoutSnapshot)
    notes.push(
      `${volumesWithoutSnapshot} volume(s) in scope have no usable snapshot to restore from: the drill fails.`,
    );
  if (rpoMissed) notes.push(`${rpoMissed} volume(s) missed the RPO target: the drill fails.`);
  if (report && !rows.length && !report.dryRun)
    notes.push('No volume was in scope: the drill proves nothing and fails.');
  if (usedExecutionEnd) {
    notes.push(
      'Snapshot times marked ≤ are not in the evidence; the execution end is used, a time by which the snapshot existed.',
    );
  }
  if (source.caller.placeholderReason)
    notes.push(`Caller identity is a placeholder: ${source.caller.placeholderReason}.`);
  if (execution.status === 'RUNNING') notes.push('The execution had not ended when this report was written.');
  if (!reported && execution.status !== 'RUNNING')
    notes.push('The execution ended without a report; its error is below.');

  return {
    title: `${restore ? 'Restore' : 'Snapshot'} drill ${execution.name}`,
    generatedAt: source.generatedAt.toISOString(),
    status: execution.status,
    passed: restore
      ? execution.status === 'SUCCEEDED' && restore.passed
      : execution.status === 'SUCCEEDED' &&
        report !== undefined &&
        volumesWithoutSnapshot === 0 &&
        rpoMissed === 0 &&
        (rows.length > 0 || report.dryRun),
    execution: {
      arn: execution.executionArn,
      name: execution.name,
      stateMachineArn: execution.stateMachineArn,
      startDate: execution.startDate.toISOString(),
      ...(execution.stopDate
        ? {
            stopDate: execution.stopDate.toISOString(),
            durationMs: execution.stopDate.getTime() - startMs,
          }
        : {}),
    },
    caller: source.caller,
    inputJson: prettyJson(execution.input),
    ...(report ? { dryRun: report.dryRun, summary: report.summary } : {}),
    gateways,
    ...(made.length ? { startToLastSnapshotMs: lastSnapshotMs - startMs } : {}),
    ...(rpos.length ? { worstRpoMs: Math.max(...rpos) } : {}),
    ...(rpoTargetMs === undefined ? {} : { rpoTargetMs }),
    volumesWithoutSnapshot,
    rpoMissed,
    ...(report?.evidence ? { evidence: report.evidence } : {}),
    skips: (report?.skipped ?? []).map((skip) => ({
      gatewayId: volumeIdOf(skip.gatewayArn),
      volumeId: volumeIdOf(skip.volumeArn),
      recoveryPointTime: skip.recoveryPointTime,
      reason: skip.reason,
    })),
    failures: (report?.failures ?? []).map((failure) => ({
      gatewayId: volumeIdOf(failure.gatewayArn),
      ...(failure.volumeArn ? { volumeId: volumeIdOf(failure.volumeArn) } : {}),
      ...(failure.snapshotId ? { snapshotId: failure.snapshotId } : {}),
      error: failure.error,
      cause: readableCause(failure.cause),
    })),
    ...(restore ? { restore } : {}),
    // Copies (issue 13)
    ...(report && copiesTable(report.manifest) ? { copies: copiesTable(report.manifest) } : {}),
    ...(!reported && execution.status !== 'RUNNING'
      ? {
          executionError: {
            error: execution.error ?? execution.status,
            cause: readableCause(execution.cause) || 'no cause given',
          },
        }
      : {}),
    notes,
  };
}

/** How this run left each volume it saw: the final state shown, and whether that is a failure. */
function outcomesByVolume(report: ExecutionReport | undefined): Map<string, { state: string; failed: boolean }> {
  const outcomes = new Map<string, { state: string; failed: boolean }>();
  for (const s of report?.snapshots ?? []) {
    const state =
      s.status === 'would-create'
        ? 'would create'
        : s.status === 'existing'
          ? `existing${s.state ? `, ${s.state}` : ''}`
          : (s.state ?? 'created');
    outcomes.set(s.volumeArn, { state, failed: false });
  }
  for (const s of report?.skipped ?? []) outcomes.set(s.volumeArn, { state: `skipped: ${s.reason}`, failed: false });
  for (const f of report?.failures ?? []) {
    if (f.volumeArn) outcomes.set(f.volumeArn, { state: `FAILED: ${f.error}`, failed: true });
  }
  return outcomes;
}

function prettyJson(text: string | undefined): string {
  if (text === undefined) return '(not available)';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
