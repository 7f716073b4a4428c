import type { Command } from 'commander';
import type { ExitCode } from '../../errors.ts';
import { snapshotWorkflow } from '../../workflow/snapshot.ts';
import { runCommand } from '../command-runner.ts';
import { assertWritablePath, type CliIo, processIo } from '../io.ts';
import { addStateMachineOptions, durationMs, type StateMachineFlags, stateMachineOf } from '../options.ts';
import { type ExecutionSeen, exitCodeOf, printOutcome, wholeReportOf } from '../outcome.ts';
import { writeDrillReportFile } from '../sfn/drill.ts';
import { failStateInputOf, readFailStateInput } from '../sfn/fail-state-input.ts';
import { type ExecutionHistories, readExecutionHistories } from '../sfn/follow.ts';
import { openSession, type SfnCommandDeps } from '../sfn/session.ts';
import { progressLineOf } from '../sfn/watch.ts';

export interface StatusOptions {
  stateMachine: string;
  json?: boolean;
  report?: string;
  rpoTarget?: number;
}

/** `sgw-snap status EXECUTION`: how an execution stands or ended. */
export function registerStatusCommand(program: Command, io: CliIo = processIo, deps: SfnCommandDeps = {}): void {
  addStateMachineOptions(
    program
      .command('status')
      .description('Show an execution: its progress while it runs, its report once it has ended')
      .argument('<execution>', 'execution ARN, or name of an execution of --state-machine'),
    'state machine of an execution given by name',
  )
    .option('--json', 'print only the report as JSON')
    .option('--report <file>', 'write a drill report (Markdown, or HTML if FILE ends in .html)')
    .option(
      '--rpo-target <duration>',
      'with --report: the agreed RPO (e.g. 4h); a volume over it fails the drill',
      durationMs,
    )
    .action(async (execution: string, options: StatusOptions & StateMachineFlags) => {
      const stateMachine = stateMachineOf(options, io.env);
      process.exitCode = await showStatus(execution, { ...options, stateMachine }, io, deps);
    });
}

/** Runs `sgw-snap status`; exits 0 for a running or succeeded execution, 1 for one that failed, timed out or was aborted. */
export function showStatus(
  execution: string,
  options: StatusOptions,
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<ExitCode> {
  return runCommand(io, 'status', async () => {
    if (options.report) await assertWritablePath(options.report, '--report');
    const session = openSession(io, deps);
    try {
      const executionArn = await session.sfn.executionArn(execution, options.stateMachine);
      const description = await session.sfn.describeExecution(executionArn);
      const onRefused = (message: string): void => {
        io.stderr.write(`${message}\n`);
      };
      const historiesRead = description.status === 'RUNNING';
      const histories: ExecutionHistories = historiesRead
        ? await readExecutionHistories(session.sfn, executionArn, { onRefused })
        : { events: [], children: [] };
      const failStateInput = historiesRead
        ? failStateInputOf(histories.events, snapshotWorkflow)
        : await readFailStateInput(session.sfn, description, snapshotWorkflow, onRefused);
      const seen: ExecutionSeen = { description, failStateInput };
      const report = await wholeReportOf(seen, snapshotWorkflow, session);
      printOutcome(io, seen, report, Boolean(options.json), !session.local);
      if (description.status === 'RUNNING' && !options.json) {
        io.stdout.write(
          `running since ${description.startDate.toISOString()}: ${progressLineOf(histories, snapshotWorkflow)}\n`,
        );
      }
      if (options.report) {
        const target = { rpoTargetMs: options.rpoTarget };
        await writeDrillReportFile(
          options.report,
          description,
          report,
          target,
          session,
          io,
          deps,
          Boolean(options.json),
        );
      }
      return exitCodeOf(description.status);
    } finally {
      session.close();
    }
  });
}
