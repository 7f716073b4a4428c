import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { ExecutionNameTakenError, ExitCode, UsageError } from '../../errors.ts';
import type { ReportDigest } from '../../report/execution-report.ts';
import { type SnapshotCounts, snapshotWorkflow } from '../../workflow/snapshot.ts';
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
import { ProgressView } from '../progress-view.ts';
import { consoleLinkOf } from '../sfn/console-link.ts';
import { writeDrillReportFile } from '../sfn/drill.ts';
import { openSession, type SfnCommandDeps, type SfnSession } from '../sfn/session.ts';
import { executionArnOf } from '../sfn/step-functions.ts';
import { watchExecution } from '../sfn/watch.ts';

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
      const view = options.json
        ? undefined
        : new ProgressView({
            io,
            workflow: snapshotWorkflow,
            startMs: started.startDate.getTime(),
            ...(deps.now ? { now: () => (deps.now as () => Date)().getTime() } : {}),
            ...(options.verbose ? { verbose: true } : {}),
          });
      const followed = await watchUntilInterrupted(session, started, options, io, deps, view);
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
    } finally {
      session.close();
    }
  });
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

/** Thrown into the wait when the operator presses Ctrl-C; the execution itself is left running. */
class WaitInterrupted extends Error {
  override readonly name = 'WaitInterrupted';
}

/**
 * Follows the execution until it ends or SIGINT arrives. Ctrl-C stops only the following: the execution
 * goes on in Step Functions, and the message says so and how to follow it again.
 */
async function watchUntilInterrupted(
  session: SfnSession,
  started: { executionArn: string; startDate: Date },
  options: StartOptions,
  io: CliIo,
  deps: SfnCommandDeps,
  view: ProgressView<SnapshotCounts, ReportDigest> | undefined,
): Promise<Awaited<ReturnType<typeof watchExecution>> | undefined> {
  const signals = deps.signals ?? process;
  let interrupt: (error: WaitInterrupted) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = reject;
  });
  interrupted.catch(() => undefined);
  const onSignal = (): void => interrupt(new WaitInterrupted('SIGINT'));
  signals.once('SIGINT', onSignal);
  // Not unref'd: between two polls this timer is all that keeps the process alive.
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = options.pollMs ?? deps.pollMs;
  try {
    return await Promise.race([
      watchExecution(session.sfn, started, io, {
        workflow: snapshotWorkflow,
        ...(view ? { view } : {}),
        ...(pollMs === undefined ? {} : { pollMs }),
        // Every poll waits on the interrupt too, so the loop ends at its next pause.
        sleep: (ms) => Promise.race([sleep(ms), interrupted]),
      }),
      interrupted,
    ]);
  } catch (error) {
    view?.abandon();
    if (!(error instanceof WaitInterrupted)) throw error;
    const name = started.executionArn.slice(started.executionArn.lastIndexOf(':') + 1);
    const machine = options.stateMachine === DEFAULT_STATE_MACHINE ? '' : ` --state-machine ${options.stateMachine}`;
    io.stderr.write(
      `\ninterrupted: stopped following, not the execution. ${name} goes on running in Step Functions ` +
        `(${started.executionArn}).\nFollow it with: sgw-snap status ${name}${machine}\n` +
        `Stop it with:   aws stepfunctions stop-execution --execution-arn ${started.executionArn}\n`,
    );
    return undefined;
  } finally {
    signals.off('SIGINT', onSignal);
  }
}
