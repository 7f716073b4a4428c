import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import { ExitCode, SNAPSHOTS_FAILED } from '../errors.ts';
import { readableCause } from '../report/cause.ts';
import type { ExecutionReport } from '../report/execution-report.ts';
import type { CliIo } from './io.ts';
import { renderReport } from './render-report.ts';
import type { ExecutionDescription } from './sfn/step-functions.ts';

/** How an execution ended, as every command prints it: a local run's result or `DescribeExecution`'s. */
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

/** 0 for a run that succeeded or is still running, 1 for failed, timed out or aborted. */
export function exitCodeOf(status: ExecutionStatus): ExitCode {
  return status === 'SUCCEEDED' || status === 'RUNNING' ? ExitCode.Succeeded : ExitCode.Failed;
}

/** An execution as `DescribeExecution` tells it, and what its history adds to that. */
export interface ExecutionSeen {
  description: ExecutionDescription;
  /** The input of the `SnapshotsFailed` state, read from the history: the whole report, where the cause may be cut. */
  failStateInput?: unknown;
}

/** `DescribeExecution` (and the `SnapshotsFailed` state's input) as the CLI's shared `ExecutionOutcome`. */
export function outcomeOf({ description, failStateInput }: ExecutionSeen): ExecutionOutcome {
  return {
    status: description.status,
    ...(description.output === undefined ? {} : { output: parseOr(description.output, description.output) }),
    ...(description.error === undefined ? {} : { error: description.error }),
    ...(description.cause === undefined ? {} : { cause: description.cause }),
    ...(failStateInput === undefined ? {} : { failStateInput }),
  };
}

/** The execution's report, or `undefined` when it has none (or only a cause that was cut and is no longer JSON). */
export function executionReportOf(execution: ExecutionSeen): ExecutionReport | undefined {
  try {
    return reportOf(outcomeOf(execution));
  } catch {
    return undefined;
  }
}

/** Prints how the execution ended on stdout: the report only with `json`, else a headline and tables. */
export function printOutcome(io: CliIo, execution: ExecutionSeen, json: boolean): void {
  const { description } = execution;
  const report = executionReportOf(execution);
  if (json) {
    const fallback = { status: description.status, error: description.error, cause: description.cause };
    io.stdout.write(`${JSON.stringify(report ?? fallback, null, 2)}\n`);
    return;
  }
  const took = description.stopDate
    ? ` in ${((description.stopDate.getTime() - description.startDate.getTime()) / 1000).toFixed(1)} s`
    : '';
  io.stdout.write(`Execution ${description.name} ${description.status}${took}\n${description.executionArn}\n\n`);
  if (report) io.stdout.write(renderReport(report));
  else if (description.status !== 'RUNNING') io.stdout.write(`${failureLine(outcomeOf(execution))}\n`);
}

function parseOr(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fallback;
  }
}
