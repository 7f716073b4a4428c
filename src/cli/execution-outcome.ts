import { SNAPSHOTS_FAILED } from '../errors.ts';
import { readableCause } from '../report/cause.ts';
import type { ExecutionReport } from '../report/execution-report.ts';

/** How an execution ended, as every command prints it. */
export interface ExecutionOutcome {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
  /**
   * The input of the `SnapshotsFailed` state, when the history was read: it holds the whole report,
   * where the cause holds what 32,768 characters can.
   */
  failStateInput?: unknown;
}

/** The report of an ended execution: its output, or the report `SnapshotsFailed` was given. */
export function reportOf(outcome: ExecutionOutcome): ExecutionReport | undefined {
  if (outcome.status === 'SUCCEEDED') return outcome.output as ExecutionReport;
  if (outcome.error !== SNAPSHOTS_FAILED) return undefined;
  const full = (outcome.failStateInput as { report?: ExecutionReport } | undefined)?.report;
  if (full) return full;
  return outcome.cause ? (JSON.parse(outcome.cause) as ExecutionReport) : undefined;
}

/** One line for an execution that ended without a report (bad input, time-out, abort). */
export function failureLine(outcome: ExecutionOutcome): string {
  return `${outcome.error ?? outcome.status}: ${readableCause(outcome.cause) || 'no cause given'}`;
}
