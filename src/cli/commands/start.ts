import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { ExecutionNameTakenError, ExitCode, UsageError } from '../../errors.ts';
import { snapshotWorkflow } from '../../workflow/snapshot.ts';
import { runCommand } from '../command-runner.ts';
import { assertWritablePath, type CliIo, processIo, readInputOption } from '../io.ts';
import {
  addStateMachineOptions,
  DEFAULT_STATE_MACHINE,
  durationMs,
  executionName,
  type StateMachineFlags,
  stateMachineOf,
  wholeNumber,
} from '../options.ts';
import { exitCodeOf, printOutcome, reportOfExecution, wholeReportOf } from '../outcome.ts';
import { consoleLinkOf } from '../sfn/console-link.ts';
import { writeDrillReportFile } from '../sfn/drill.ts';
import { openSession, type SfnCommandDeps, type SfnSession } from '../sfn/session.ts';
import { executionArnOf } from '../sfn/step-functions.ts';
import { followedView, followUntilInterrupted, nameOfExecution, stopHintOf } from '../sfn/wait.ts';

export interface StartOptions {
  stateMachine: string;
  input: string;
  name?: string;
  wait?: boolean;
  json?: boolean;
  verbose?: boolean;
  report?: string;
  rpoTarget?: number;
  pollMs?: number;
}

/** `sgw-snap start`: starts the deployed state machine, and with `--wait` follows it to the end. */
export function registerStartCommand(program: Command, io: CliIo = processIo, deps: SfnCommandDeps = {}): void {
  addStateMachineOptions(
    program
      .command('start')
      .description('Start an execution of the deployed state machine (AWS_ENDPOINT_URL_SFN for a local one)'),
    'state machine to start',
  )
    .option('--input <json|@file>', 'execution input as JSON, or @path to a JSON file', '{}')
    .option(
      '--name <name>',
      'execution name: starting the same name and input again follows the first execution',
      executionName,
    )
    .option('--wait', 'follow the execution until it ends: progress on stderr, the result on stdout')
    .option(
      '--json',
      'print only the report as JSON (the output, or the report in the cause of a failure); stderr carries errors only',
    )
    .option('--verbose', 'with --wait: tell every step on stderr, not only failures and retries')
    .option('--report <file>', 'with --wait: write a drill report (Markdown, or HTML if FILE ends in .html)')
    .option(
      '--rpo-target <duration>',
      'with --report: the agreed RPO (e.g. 4h); a volume over it fails the drill',
      durationMs,
    )
    .option('--poll-ms <ms>', 'how often --wait reads the history', wholeNumber(1))
    .action(async (options: StartOptions & StateMachineFlags) => {
      const stateMachine = stateMachineOf(options, io.env);
      process.exitCode = await startExecution({ ...options, stateMachine }, io, deps);
    });
}

/** Runs `sgw-snap start`; returns the exit code. */
export function startExecution(options: StartOptions, io: CliIo, deps: SfnCommandDeps): Promise<ExitCode> {
  return runCommand(io, 'start', async () => {
    if (options.report && !options.wait)
      throw new UsageError('--report needs --wait: the report is written once the execution has ended');
    if (options.rpoTarget !== undefined && !options.report) throw new UsageError('--rpo-target needs --report');
    if (options.report) await assertWritablePath(options.report, '--report');
    const input = JSON.stringify(await readInputOption(options.input));
    const session = openSession(io, deps);
    try {
      const stateMachineArn = await session.sfn.stateMachineArn(options.stateMachine);
      const started = await startOrFind(session, stateMachineArn, input, options.name, io, Boolean(options.json));
      if (!options.wait) {
        const link = session.local ? undefined : consoleLinkOf(started.executionArn);
        const line = options.json
          ? JSON.stringify(started, null, 2)
          : `${started.executionArn}\nstarted ${started.startDate.toISOString()}${link ? `\n${link}` : ''}`;
        io.stdout.write(`${line}\n`);
        return ExitCode.Succeeded;
      }
      return await waitForSnapshotRun(session, started, options, io, deps);
    } finally {
      session.close();
    }
  });
}

/** What `--wait` and the flags that go with it ask of a snapshot execution (`start` and `redrive`). */
export interface SnapshotWaitOptions {
  stateMachine: string;
  json?: boolean | undefined;
  verbose?: boolean | undefined;
  report?: string | undefined;
  rpoTarget?: number | undefined;
  pollMs?: number | undefined;
}

/**
 * Follows a snapshot execution to its end with the live progress, then prints its report (and writes the drill
 * report with `--report`); Ctrl-C stops only the following (exit 130). `afterEventId`: of a redrive, where the
 * redriven attempt's history begins.
 */
export async function waitForSnapshotRun(
  session: SfnSession,
  started: { executionArn: string; startDate: Date },
  options: SnapshotWaitOptions,
  io: CliIo,
  deps: SfnCommandDeps,
  afterEventId?: number,
): Promise<ExitCode> {
  const view = followedView(snapshotWorkflow, started, options, io, deps);
  const name = nameOfExecution(started.executionArn);
  const machine = options.stateMachine === DEFAULT_STATE_MACHINE ? '' : ` --state-machine ${options.stateMachine}`;
  const followed = await followUntilInterrupted(session, started, io, deps, {
    workflow: snapshotWorkflow,
    view,
    pollMs: options.pollMs,
    ...(afterEventId === undefined ? {} : { afterEventId }),
    hint: { follow: `sgw-snap status ${name}${machine}`, stop: stopHintOf(started.executionArn) },
  });
  if (!followed) return ExitCode.Interrupted;
  view?.finish(reportOfExecution(followed, snapshotWorkflow));
  const report = await wholeReportOf(followed, snapshotWorkflow, session);
  printOutcome(io, followed, report, Boolean(options.json), !session.local);
  if (options.report) {
    const target = { rpoTargetMs: options.rpoTarget };
    await writeDrillReportFile(
      options.report,
      followed.description,
      report,
      target,
      session,
      io,
      deps,
      Boolean(options.json),
    );
  }
  return exitCodeOf(followed.description.status);
}

/**
 * `StartExecution`; when the name is taken by an execution with the same input (closed ones are
 * refused by the service even then), that execution is the one followed, so a drill is idempotent.
 * @throws {ExecutionNameTakenError} when the name is taken by an execution with another input
 */
async function startOrFind(
  session: SfnSession,
  stateMachineArn: string,
  input: string,
  name: string | undefined,
  io: CliIo,
  json: boolean,
): Promise<{ executionArn: string; startDate: Date }> {
  try {
    return await session.sfn.startExecution({ stateMachineArn, input, ...(name ? { name } : {}) });
  } catch (error) {
    if (!(error instanceof ExecutionNameTakenError) || !name) throw error;
    const executionArn = executionArnOf(stateMachineArn, name);
    const existing = await session.sfn.describeExecution(executionArn);
    if (!sameJson(existing.input, input)) {
      throw new ExecutionNameTakenError(
        'StartExecution',
        `An execution named ${name} already exists with a different input (${executionArn}); start it with its own input to follow it, or choose another --name`,
        { cause: error },
      );
    }
    if (!json)
      io.stderr.write(
        `execution ${name} already exists (${existing.status}, started ${existing.startDate.toISOString()}): following it, not starting another\n`,
      );
    return { executionArn, startDate: existing.startDate };
  }
}

/** Whether two JSON texts hold the same value: the keys of an object may come in any order. */
function sameJson(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return a === b;
  }
}
