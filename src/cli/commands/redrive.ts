import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.ts';
import { restoreWorkflow } from '../../workflow/restore.ts';
import { runCommand } from '../command-runner.ts';
import { assertWritablePath, type CliIo, processIo } from '../io.ts';
import { addStateMachineOptions, durationMs, type StateMachineFlags, stateMachineOf, wholeNumber } from '../options.ts';
import { consoleLinkOf } from '../sfn/console-link.ts';
import { DEFAULT_POLL_MS } from '../sfn/follow.ts';
import { readHistory } from '../sfn/history.ts';
import { openSession, type SfnCommandDeps, type SfnSession } from '../sfn/session.ts';
import { nameOfExecution } from '../sfn/wait.ts';
import { positiveMinutes, waitForRestore } from './restore.ts';
import { waitForSnapshotRun } from './start.ts';

export interface RedriveOptions {
  stateMachine: string;
  json?: boolean;
  wait?: boolean;
  verbose?: boolean;
  report?: string;
  rpoTarget?: number;
  rtoTarget?: number;
  pollMs?: number;
}

/**
 * How many times `--wait` reads the history for the `ExecutionRedriven` event before it gives up: Step Functions
 * answers `RedriveExecution` before the event is in the history (its reads are eventually consistent).
 */
const REDRIVEN_EVENT_READS = 30;

/** `sgw-snap redrive EXECUTION`: Step Functions' `RedriveExecution`, and with `--wait` the redriven attempt followed. */
export function registerRedriveCommand(program: Command, io: CliIo = processIo, deps: SfnCommandDeps = {}): void {
  addStateMachineOptions(
    program
      .command('redrive')
      .description(
        'Run a FAILED, TIMED_OUT or ABORTED execution of the last 14 days again from where it failed (RedriveExecution)',
      )
      .argument('<execution>', 'execution ARN, or name of an execution of --state-machine'),
    'state machine of an execution given by name',
  )
    .option('--wait', 'follow the redriven execution until it ends: progress on stderr, the result on stdout')
    .option('--json', 'print the redrive as JSON; with --wait only the report, as start --wait --json does')
    .option('--verbose', 'with --wait: tell every step on stderr, not only failures and retries')
    .option('--report <file>', 'with --wait: write a drill report (Markdown, or HTML if FILE ends in .html)')
    .option('--rpo-target <duration>', 'with --report, of a snapshot execution: the agreed RPO (e.g. 4h)', durationMs)
    .option(
      '--rto-target <minutes>',
      'with --report, of a restore execution: the agreed RTO in minutes',
      positiveMinutes,
    )
    .option('--poll-ms <ms>', 'how often --wait reads the history', wholeNumber(1))
    .action(async (execution: string, options: RedriveOptions & StateMachineFlags) => {
      const stateMachine = stateMachineOf(options, io.env);
      process.exitCode = await redriveExecution(execution, { ...options, stateMachine }, io, deps);
    });
}

/**
 * Runs `sgw-snap redrive`; exits 0 once Step Functions has taken the redrive, 2 when it refuses it; with `--wait`,
 * as `start --wait` does once the redriven execution has ended (130 on Ctrl-C).
 */
export function redriveExecution(
  execution: string,
  options: RedriveOptions,
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<ExitCode> {
  return runCommand(io, 'redrive', async () => {
    if (options.report && !options.wait)
      throw new UsageError('--report needs --wait: the report is written once the execution has ended');
    if ((options.rpoTarget !== undefined || options.rtoTarget !== undefined) && !options.report)
      throw new UsageError(`${options.rpoTarget === undefined ? '--rto-target' : '--rpo-target'} needs --report`);
    if (options.report) await assertWritablePath(options.report, '--report');
    const session = openSession(io, deps);
    try {
      const executionArn = await session.sfn.executionArn(execution, options.stateMachine);
      // The flags are checked against the execution's workflow before anything is redriven.
      const restore = options.wait ? await isRestoreExecution(session, executionArn, options) : false;
      const redriveDate = await session.sfn.redriveExecution(executionArn);
      if (options.wait) {
        const redriven = { executionArn, startDate: redriveDate };
        return await followRedrive(session, redriven, restore, options, io, deps);
      }
      if (options.json) {
        io.stdout.write(`${JSON.stringify({ executionArn, redriveDate }, null, 2)}\n`);
        return ExitCode.Succeeded;
      }
      const name = nameOfExecution(executionArn);
      const link = session.local ? undefined : consoleLinkOf(executionArn);
      io.stdout.write(
        `Execution ${name} redriven at ${redriveDate.toISOString()}\n${executionArn}\n${link ? `${link}\n` : ''}` +
          `Follow it with: sgw-snap status ${name}\n`,
      );
      return ExitCode.Succeeded;
    } finally {
      session.close();
    }
  });
}

/**
 * Follows the redriven attempt as `start --wait` (or `restore --wait`, for an execution of the restore workflow)
 * follows a new one: its history from the `ExecutionRedriven` event on, the same live progress and final report.
 */
async function followRedrive(
  session: SfnSession,
  redriven: { executionArn: string; startDate: Date },
  restore: boolean,
  options: RedriveOptions,
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<ExitCode> {
  const redrivenEvent = await redrivenEventOf(session, redriven.executionArn, options, deps);
  const afterEventId = (redrivenEvent.id ?? 1) - 1;
  if (!options.json)
    io.stderr.write(`redriven at ${redriven.startDate.toISOString()}: following ${redriven.executionArn}\n`);
  if (restore) return waitForRestore(session, redriven, options, io, deps, afterEventId);
  return waitForSnapshotRun(session, redriven, options, io, deps, afterEventId);
}

/**
 * Whether the execution runs the restore workflow (its first state is one of the restore state machine's); the
 * target flag of the other workflow is refused before anything is redriven.
 * @throws {UsageError} for `--rpo-target` of a restore, `--rto-target` of a snapshot execution
 */
async function isRestoreExecution(
  session: SfnSession,
  executionArn: string,
  options: RedriveOptions,
): Promise<boolean> {
  const { events } = await session.sfn.historyPage({ executionArn });
  const first = events.find((event) => event.stateEnteredEventDetails?.name)?.stateEnteredEventDetails?.name;
  const restore = first !== undefined && restoreWorkflow.stateNames.includes(first);
  if (restore && options.rpoTarget !== undefined)
    throw new UsageError('--rpo-target: this is a restore execution, whose drill report takes --rto-target');
  if (!restore && options.rtoTarget !== undefined)
    throw new UsageError('--rto-target: this is a snapshot execution, whose drill report takes --rpo-target');
  return restore;
}

/** The last `ExecutionRedriven` event of the history, read again until that event is there. */
async function redrivenEventOf(
  session: SfnSession,
  executionArn: string,
  options: RedriveOptions,
  deps: SfnCommandDeps,
): Promise<HistoryEvent> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let read = 1; ; read += 1) {
    const history = await readHistory(session.sfn, executionArn);
    const redrivenEvent = history.findLast((event) => event.type === 'ExecutionRedriven');
    if (redrivenEvent) return redrivenEvent;
    if (read >= REDRIVEN_EVENT_READS)
      throw new UsageError(
        `${executionArn} was redriven, but its history shows no ExecutionRedriven event after ${read} reads; follow it with sgw-snap status`,
      );
    await sleep(options.pollMs ?? deps.pollMs ?? DEFAULT_POLL_MS);
  }
}
