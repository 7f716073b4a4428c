import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import { type Command, Option } from 'commander';
import { ExitCode } from '../../errors.ts';
import { runCommand } from '../command-runner.ts';
import { type CliIo, processIo } from '../io.ts';
import { DEFAULT_LIST_MAX, DEFAULT_STATE_MACHINE, wholeNumber } from '../options.ts';
import { textTable } from '../render-report.ts';
import { openSession, type SfnCommandDeps } from '../sfn/session.ts';

const STATUSES = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
] as const satisfies readonly ExecutionStatus[];

export interface ListOptions {
  stateMachine: string;
  status?: (typeof STATUSES)[number];
  max: number;
  json?: boolean;
}

/** `sgw-snap list`: the recent executions, newest first. */
export function registerListCommand(program: Command, io: CliIo = processIo, deps: SfnCommandDeps = {}): void {
  program
    .command('list')
    .description('List the recent executions, newest first')
    .option('--state-machine <name|arn>', 'state machine whose executions to list', DEFAULT_STATE_MACHINE)
    .addOption(new Option('--status <status>', 'only executions with this status').choices(STATUSES))
    .option('--max <n>', 'at most this many executions', wholeNumber(1), DEFAULT_LIST_MAX)
    .option('--json', 'print the executions as JSON')
    .action(async (options: ListOptions) => {
      process.exitCode = await listExecutions(options, io, deps);
    });
}

/** Runs `sgw-snap list`; returns the exit code. */
export function listExecutions(options: ListOptions, io: CliIo, deps: SfnCommandDeps): Promise<ExitCode> {
  return runCommand(io, 'list', async () => {
    const session = openSession(io, deps);
    try {
      const stateMachineArn = await session.sfn.stateMachineArn(options.stateMachine);
      const executions = await session.sfn.listExecutions({
        stateMachineArn,
        max: options.max,
        ...(options.status ? { statusFilter: options.status } : {}),
      });
      if (options.json) {
        io.stdout.write(`${JSON.stringify(executions, null, 2)}\n`);
      } else if (!executions.length) {
        io.stdout.write(`No ${options.status ? `${options.status} ` : ''}executions of ${stateMachineArn}\n`);
      } else {
        const rows = executions.map((e) => [
          e.name,
          e.status,
          e.startDate.toISOString(),
          e.stopDate?.toISOString() ?? '',
          e.stopDate ? Number(((e.stopDate.getTime() - e.startDate.getTime()) / 1000).toFixed(1)) : '',
        ]);
        io.stdout.write(`${textTable(['name', 'status', 'started', 'ended', 'seconds'], rows)}\n`);
      }
      return ExitCode.Succeeded;
    } finally {
      session.close();
    }
  });
}
