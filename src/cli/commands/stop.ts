import type { Command } from 'commander';
import { ExitCode } from '../../errors.ts';
import { runCommand } from '../command-runner.ts';
import { type CliIo, processIo } from '../io.ts';
import { addStateMachineOptions, type StateMachineFlags, stateMachineOf } from '../options.ts';
import { consoleLinkOf } from '../sfn/console-link.ts';
import { openSession, type SfnCommandDeps } from '../sfn/session.ts';
import { stylerFor, styleStatus } from '../style.ts';

export interface StopOptions {
  stateMachine: string;
  error?: string;
  cause?: string;
  json?: boolean;
}

/** `sgw-snap stop EXECUTION`: Step Functions' `StopExecution`. */
export function registerStopCommand(program: Command, io: CliIo = processIo, deps: SfnCommandDeps = {}): void {
  addStateMachineOptions(
    program
      .command('stop')
      .description('Stop a running execution (StopExecution): it ends ABORTED; snapshots already started go on')
      .argument('<execution>', 'execution ARN, or name of an execution of --state-machine'),
    'state machine of an execution given by name',
  )
    .option('--error <code>', 'error code recorded with the abort')
    .option('--cause <text>', 'why it was stopped, recorded with the abort')
    .option('--json', 'print the execution as JSON')
    .action(async (execution: string, options: StopOptions & StateMachineFlags) => {
      const stateMachine = stateMachineOf(options, io.env);
      process.exitCode = await stopExecution(execution, { ...options, stateMachine }, io, deps);
    });
}

/** Runs `sgw-snap stop`; exits 0 once the execution is stopped, or was no longer running. */
export function stopExecution(
  execution: string,
  options: StopOptions,
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<ExitCode> {
  return runCommand(io, 'stop', async () => {
    const session = openSession(io, deps);
    try {
      const executionArn = await session.sfn.executionArn(execution, options.stateMachine);
      const before = await session.sfn.describeExecution(executionArn);
      if (before.status === 'RUNNING') {
        await session.sfn.stopExecution({
          executionArn,
          ...(options.error === undefined ? {} : { error: options.error }),
          ...(options.cause === undefined ? {} : { cause: options.cause }),
        });
      }
      const after = await session.sfn.describeExecution(executionArn);
      if (options.json) {
        io.stdout.write(`${JSON.stringify({ ...after, stopped: before.status === 'RUNNING' }, null, 2)}\n`);
        return ExitCode.Succeeded;
      }
      const status = styleStatus(stylerFor(io.stdout, io.env), after.status);
      const link = session.local ? undefined : consoleLinkOf(executionArn);
      io.stdout.write(
        before.status === 'RUNNING'
          ? `Execution ${after.name} stopped: ${status}\n`
          : `Execution ${after.name} was not running (${status}): nothing to stop\n`,
      );
      io.stdout.write(`${executionArn}\n${link ? `${link}\n` : ''}`);
      return ExitCode.Succeeded;
    } finally {
      session.close();
    }
  });
}
