import type { Command } from 'commander';
import { ExitCode } from '../../errors.ts';
import { runCommand } from '../command-runner.ts';
import { type CliIo, processIo } from '../io.ts';
import { addStateMachineOptions, type StateMachineFlags, stateMachineOf } from '../options.ts';
import { consoleLinkOf } from '../sfn/console-link.ts';
import { openSession, type SfnCommandDeps } from '../sfn/session.ts';

export interface RedriveOptions {
  stateMachine: string;
  json?: boolean;
}

/** `sgw-snap redrive EXECUTION`: Step Functions' `RedriveExecution`. */
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
    .option('--json', 'print the redrive as JSON')
    .action(async (execution: string, options: RedriveOptions & StateMachineFlags) => {
      const stateMachine = stateMachineOf(options, io.env);
      process.exitCode = await redriveExecution(execution, { ...options, stateMachine }, io, deps);
    });
}

/** Runs `sgw-snap redrive`; exits 0 once Step Functions has taken the redrive, 2 when it refuses it. */
export function redriveExecution(
  execution: string,
  options: RedriveOptions,
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<ExitCode> {
  return runCommand(io, 'redrive', async () => {
    const session = openSession(io, deps);
    try {
      const executionArn = await session.sfn.executionArn(execution, options.stateMachine);
      const redriveDate = await session.sfn.redriveExecution(executionArn);
      if (options.json) {
        io.stdout.write(`${JSON.stringify({ executionArn, redriveDate }, null, 2)}\n`);
        return ExitCode.Succeeded;
      }
      const name = executionArn.slice(executionArn.lastIndexOf(':') + 1);
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
