import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { readableCause } from '../../report/cause.ts';
import type { ExecutionReport, ReportSummary } from '../../report/execution-report.ts';
import { volumeIdOf } from '../../report/gateway-result.ts';
import type { WorkflowDescriptor } from '../../workflow/descriptor.ts';
import type { ExecutionDescription } from '../sfn/step-functions.ts';
import type { CallerIdentity } from './caller.ts';
import { snapshotTimesFrom } from './snapshot-times.ts';

/** What a drill report is made from. */
export interface DrillReportSource {
  generatedAt: Date;
  caller: CallerIdentity;
  execution: ExecutionDescription;
  /** The execution's report: its output, or the cause of `SnapshotsFailed`. */
  report: ExecutionReport | undefined;
  events: readonly HistoryEvent[];
  /** The workflow the events are of: which of its states' exits made a snapshot. */
  workflow: Pick<WorkflowDescriptor, 'states'>;
}

/** How a snapshot's creation time is known. */
export const SnapshotTimeSource = {
  History: 'history',
  /** Not in the history: the execution's end, a time the snapshot existed by. */
  ExecutionEnd: 'execution-end',
} as const;
export type SnapshotTimeSource = (typeof SnapshotTimeSource)[keyof typeof SnapshotTimeSource];

/** One volume of a gateway's table. */
export interface DrillRow {
  volumeId: string;
  volumeArn: string;
  snapshotId?: string;
  recoveryPointTime?: string;
  snapshotTime?: string;
  snapshotTimeSource?: SnapshotTimeSource;
  /** Snapshot time − recovery point time: the data the snapshot misses, i.e. the achieved RPO. */
  achievedRpoMs?: number;
  /** `completed`, `pending`, `created`, `existing`, `would create`, or `FAILED: <error>`. */
  finalState: string;
  failed: boolean;
}

export interface DrillGateway {
  gatewayArn: string;
  gatewayId: string;
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
  skips: Array<{ gatewayId: string; volumeId: string; recoveryPointTime: string; reason: string }>;
  failures: Array<{ gatewayId: string; volumeId?: string; error: string; cause: string }>;
  /** The execution ended without a report (bad input, time-out, abort): its error. */
  executionError?: { error: string; cause: string };
  notes: string[];
}

/** Builds the report's data model; pure, every time comes from `source`. */
export function buildDrillReport(source: DrillReportSource): DrillReport {
  const { execution, report } = source;
  const times = snapshotTimesFrom(source.events, source.workflow);
  const notes: string[] = [];
  const gateways = new Map<string, DrillGateway>();
  const gatewayOf = (gatewayArn: string): DrillGateway => {
    const found = gateways.get(gatewayArn) ?? { gatewayArn, gatewayId: volumeIdOf(gatewayArn), rows: [] };
    gateways.set(gatewayArn, found);
    return found;
  };
  let usedExecutionEnd = false;
  for (const snapshot of report?.snapshots ?? []) {
    const row: DrillRow = {
      volumeId: volumeIdOf(snapshot.volumeArn),
      volumeArn: snapshot.volumeArn,
      recoveryPointTime: snapshot.recoveryPointTime,
      finalState:
        snapshot.status === 'would-create'
          ? 'would create'
          : snapshot.status === 'existing'
            ? 'existing'
            : (snapshot.state ?? 'created'),
      failed: false,
      ...(snapshot.snapshotId ? { snapshotId: snapshot.snapshotId } : {}),
    };
    if (snapshot.status === 'created' && snapshot.snapshotId) {
      const seen = times.get(snapshot.snapshotId);
      const time = seen ?? execution.stopDate;
      if (time) {
        row.snapshotTime = time.toISOString();
        row.snapshotTimeSource = seen ? SnapshotTimeSource.History : SnapshotTimeSource.ExecutionEnd;
        usedExecutionEnd ||= !seen;
        const pointMs = Date.parse(snapshot.recoveryPointTime);
        if (Number.isFinite(pointMs)) row.achievedRpoMs = time.getTime() - pointMs;
      }
    }
    gatewayOf(snapshot.gatewayArn).rows.push(row);
  }
  for (const failure of report?.failures ?? []) {
    const gateway = gatewayOf(failure.gatewayArn);
    if (failure.volumeArn) {
      gateway.rows.push({
        volumeId: volumeIdOf(failure.volumeArn),
        volumeArn: failure.volumeArn,
        finalState: `FAILED: ${failure.error}`,
        failed: true,
      });
    }
  }

  const made = [...gateways.values()].flatMap((g) => g.rows).filter((row) => row.snapshotTime);
  const lastSnapshotMs = Math.max(...made.map((row) => Date.parse(row.snapshotTime ?? '')));
  const rpos = made.flatMap((row) => (row.achievedRpoMs === undefined ? [] : [row.achievedRpoMs]));

  if (usedExecutionEnd) {
    notes.push(
      "Snapshot times marked ≤ were not in the histories read (the execution's and, on AWS, those of the child execution each gateway runs in; reading those needs states:ListExecutions and states:GetExecutionHistory on them); the execution end is used, a time by which the snapshot existed, so the RPO shown is an upper bound.",
    );
  }
  if (report?.omitted)
    notes.push(
      `The execution report was cut to fit the Step Functions payload limit; not listed here: ${JSON.stringify(report.omitted)}. The summary counts are complete.`,
    );
  if (source.caller.placeholderReason)
    notes.push(`Caller identity is a placeholder: ${source.caller.placeholderReason}.`);
  if (execution.status === 'RUNNING') notes.push('The execution had not ended when this report was written.');
  if (!report && execution.status !== 'RUNNING')
    notes.push('The execution ended without a report; its error is below.');

  return {
    title: `Snapshot drill ${execution.name}`,
    generatedAt: source.generatedAt.toISOString(),
    status: execution.status,
    passed: execution.status === 'SUCCEEDED',
    execution: {
      arn: execution.executionArn,
      name: execution.name,
      stateMachineArn: execution.stateMachineArn,
      startDate: execution.startDate.toISOString(),
      ...(execution.stopDate
        ? {
            stopDate: execution.stopDate.toISOString(),
            durationMs: execution.stopDate.getTime() - execution.startDate.getTime(),
          }
        : {}),
    },
    caller: source.caller,
    inputJson: prettyJson(execution.input),
    ...(report ? { dryRun: report.dryRun, summary: report.summary } : {}),
    gateways: [...gateways.values()],
    ...(made.length ? { startToLastSnapshotMs: lastSnapshotMs - execution.startDate.getTime() } : {}),
    ...(rpos.length ? { worstRpoMs: Math.max(...rpos) } : {}),
    skips: (report?.skipped ?? []).map((skip) => ({
      gatewayId: volumeIdOf(skip.gatewayArn),
      volumeId: volumeIdOf(skip.volumeArn),
      recoveryPointTime: skip.recoveryPointTime,
      reason: skip.reason,
    })),
    failures: (report?.failures ?? []).map((failure) => ({
      gatewayId: volumeIdOf(failure.gatewayArn),
      ...(failure.volumeArn ? { volumeId: volumeIdOf(failure.volumeArn) } : {}),
      error: failure.error,
      cause: readableCause(failure.cause),
    })),
    ...(!report && execution.status !== 'RUNNING'
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

function prettyJson(text: string | undefined): string {
  if (text === undefined) return '(not available)';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
