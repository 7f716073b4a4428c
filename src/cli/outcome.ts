import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import { ExitCode } from '../errors.ts';
import { readableCause } from '../report/cause.ts';
import type { ExecutionReport, ReportDigest } from '../report/execution-report.ts';
import type { EndedExecution, ProgressCountsBase, WorkflowDescriptor } from '../workflow/descriptor.ts';
import type { EvidenceReader } from './evidence.ts';
import type { CliIo } from './io.ts';
import { renderReport } from './render-report.ts';
import { consoleLinkOf } from './sfn/console-link.ts';
import type { ExecutionDescription } from './sfn/step-functions.ts';
import { stylerFor, styleStatus } from './style.ts';

/** One line for an execution that ended without a report (bad input, time-out, abort). */
export function failureLine(outcome: EndedExecution): string {
  return `${outcome.error ?? outcome.status}: ${readableCause(outcome.cause) || 'no cause given'}`;
}

/** 0 for a run that succeeded or is still running, 1 for failed, timed out or aborted. */
export function exitCodeOf(status: ExecutionStatus): ExitCode {
  return status === 'SUCCEEDED' || status === 'RUNNING' ? ExitCode.Succeeded : ExitCode.Failed;
}

/** An execution as `DescribeExecution` tells it, and what its history adds to that. */
export interface ExecutionSeen {
  description: ExecutionDescription;
  /** The input of the workflow's Fail state, read from the history: it holds the digest the cause holds as JSON. */
  failStateInput?: unknown;
}

/** `DescribeExecution` (and the `SnapshotsFailed` state's input) as the CLI's shared `EndedExecution`. */
export function outcomeOf({ description, failStateInput }: ExecutionSeen): EndedExecution {
  return {
    status: description.status,
    ...(description.output === undefined ? {} : { output: parseOr(description.output, description.output) }),
    ...(description.error === undefined ? {} : { error: description.error }),
    ...(description.cause === undefined ? {} : { cause: description.cause }),
    ...(failStateInput === undefined ? {} : { failStateInput }),
  };
}

/**
 * What the workflow reports of an ended execution (for the snapshot workflow, the digest: its summary and where
 * its evidence is), or `undefined` when it has none, or only a cause that is no longer JSON.
 */
export function reportOfExecution<TReport>(
  execution: ExecutionSeen,
  workflow: Pick<WorkflowDescriptor<ProgressCountsBase, TReport>, 'reportOf'>,
): TReport | undefined {
  try {
    return workflow.reportOf(outcomeOf(execution));
  } catch {
    return undefined;
  }
}

/**
 * Prints how the execution ended on stdout: its whole report only with `json`, else a headline (with the console's
 * page of the execution when `consoleLink`, i.e. on AWS) and tables.
 */
export function printOutcome(
  io: CliIo,
  execution: ExecutionSeen,
  report: ExecutionReport | undefined,
  json: boolean,
  consoleLink = false,
): void {
  const { description } = execution;
  if (json) {
    const fallback = { status: description.status, error: description.error, cause: description.cause };
    io.stdout.write(`${JSON.stringify(report ?? fallback, null, 2)}\n`);
    return;
  }
  const took = description.stopDate
    ? ` in ${((description.stopDate.getTime() - description.startDate.getTime()) / 1000).toFixed(1)} s`
    : '';
  const status = styleStatus(stylerFor(io.stdout, io.env), description.status);
  const link = consoleLink ? consoleLinkOf(description.executionArn) : undefined;
  io.stdout.write(
    `Execution ${description.name} ${status}${took}\n${description.executionArn}\n${link ? `${link}\n` : ''}\n`,
  );
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

/**
 * The whole report of an ended execution, read from its evidence where its digest says; `undefined` for an
 * execution that ended without one (bad input, time-out, abort) or is still running.
 */
export async function wholeReportOf(
  execution: ExecutionSeen,
  workflow: Pick<WorkflowDescriptor<ProgressCountsBase, ReportDigest>, 'reportOf'>,
  session: { evidence: EvidenceReader },
): Promise<ExecutionReport | undefined> {
  const digest = reportOfExecution(execution, workflow);
  return digest ? session.evidence.readReport(digest) : undefined;
}
