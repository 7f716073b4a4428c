import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import { ExitCode } from '../../errors.ts';
import { mapConcurrently } from '../../evidence/run-evidence.ts';
import { snapshotWorkflow } from '../../workflow/snapshot.ts';
import { runCommand } from '../command-runner.ts';
import { type CliIo, processIo } from '../io.ts';
import {
  addStateMachineOptions,
  DEFAULT_LIST_MAX,
  oneOf,
  type StateMachineFlags,
  stateMachineOf,
  wholeNumber,
} from '../options.ts';
import { reportOfExecution } from '../outcome.ts';
import { textTable } from '../render-report.ts';
import { openSession, type SfnCommandDeps } from '../sfn/session.ts';
import type { ExecutionDescription } from '../sfn/step-functions.ts';
import { stylerFor, styleStatus } from '../style.ts';

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
  addStateMachineOptions(
    program.command('list').description('List the recent executions, newest first, with what each made'),
    'state machine whose executions to list',
  )
    .option('--status <status>', `only executions with this status: ${STATUSES.join(', ')} (any case)`, oneOf(STATUSES))
    .option('--max <n>', 'at most this many executions', wholeNumber(1), DEFAULT_LIST_MAX)
    .option('--json', 'print the executions as JSON')
    .action(async (options: ListOptions & StateMachineFlags) => {
      process.exitCode = await listExecutions({ ...options, stateMachine: stateMachineOf(options, io.env) }, io, deps);
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
      // Each ended execution's digest (its output, or the cause of SnapshotsFailed) holds what it made.
      const described = await mapConcurrently(executions, (e) => session.sfn.describeExecution(e.executionArn));
      const rows = executions.map((e, i) => {
        const description = described[i] as ExecutionDescription;
        return { ...e, summary: reportOfExecution({ description }, snapshotWorkflow)?.summary };
      });
      if (options.json) {
        io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      } else if (!rows.length) {
        io.stdout.write(`No ${options.status ? `${options.status} ` : ''}executions of ${stateMachineArn}\n`);
      } else {
        const style = stylerFor(io.stdout, io.env);
        const width = Math.max(...rows.map((e) => e.status.length));
        const table = rows.map((e) => [
          e.name,
          styleStatus(style, e.status.padEnd(width)),
          e.startDate.toISOString(),
          e.stopDate ? Number(((e.stopDate.getTime() - e.startDate.getTime()) / 1000).toFixed(1)) : '',
          e.summary?.created ?? '',
          e.summary?.existing ?? '',
          e.summary?.skipped ?? '',
          e.summary?.failed ?? '',
        ]);
        const header = ['name', 'status', 'started', 'seconds', 'created', 'existing', 'skipped', 'failed'];
        io.stdout.write(`${textTable(header, table)}\n`);
      }
      return ExitCode.Succeeded;
    } finally {
      session.close();
    }
  });
}
