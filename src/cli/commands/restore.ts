import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ExitCode, InvalidInputError, UsageError } from '../../errors.ts';
import { parseRestoreInput } from '../../restore/parse.ts';
import type { RestoreDigest, RestoreReport } from '../../restore/report.ts';
import { restoreWorkflow } from '../../workflow/restore.ts';
import { runCommand } from '../command-runner.ts';
import { writeRestoreDrillReport } from '../drill-report/restore.ts';
import { assertWritablePath, type CliIo, processIo } from '../io.ts';
import {
  DEFAULT_STATE_MACHINE,
  executionName,
  STATE_MACHINE_VARIABLE,
  stateMachineOf,
  wholeNumber,
} from '../options.ts';
import { exitCodeOf, reportOfExecution } from '../outcome.ts';
import { printRestoreOutcome } from '../restore/print.ts';
import { restoreSourceOf } from '../restore/source.ts';
import { consoleLinkOf } from '../sfn/console-link.ts';
import { openSession, type SfnCommandDeps, type SfnSession } from '../sfn/session.ts';
import { followedView, followUntilInterrupted, stopHintOf } from '../sfn/wait.ts';

/** The restore state machine `serverless.yml` deploys beside the snapshot one, and `serve` serves. */
export const DEFAULT_RESTORE_STATE_MACHINE = `${DEFAULT_STATE_MACHINE}-restore`;

export interface RestoreCommandOptions {
  from: string;
  toGateway?: string;
  networkInterface?: string;
  toEbs?: string;
  volume?: string[];
  gateway?: string[];
  test?: boolean;
  check?: boolean;
  wait?: boolean;
  json?: boolean;
  verbose?: boolean;
  report?: string;
  rtoTarget?: number;
  name?: string;
  stateMachine: string;
  snapshotStateMachine: string;
  pollMs?: number;
}

/** `sgw-snap restore`: restores (or restore-tests) a manifest's volumes to a DR gateway or to EBS. */
export function registerRestoreCommand(program: Command, io: CliIo = processIo, deps: SfnCommandDeps = {}): void {
  program
    .command('restore')
    .description("Restore a snapshot run's volumes to a DR gateway or to EBS; --test deletes them again after")
    .requiredOption('--from <execution|s3-uri|file>', 'snapshot execution (ARN or name), manifest s3:// URI, or file')
    .option('--to-gateway <arn>', 'the cached (DR) gateway to create the volumes on')
    .option('--network-interface <ip>', "with --to-gateway: the gateway's address to expose the iSCSI targets on")
    .option('--to-ebs <availability-zone>', 'create EBS volumes in this Availability Zone instead')
    .option('--volume <arn>', 'only this volume of the manifest (repeatable)', collect, [])
    .option('--gateway <arn>', "only this (source) gateway's volumes (repeatable)", collect, [])
    .option('--test', 'a restore test: restore, verify, record the RTO, then delete what it created')
    .option('--check', 'run the preflight only; create nothing')
    .option('--wait', 'follow the restore until it ends: progress on stderr, the result on stdout')
    .option('--verbose', 'with --wait: tell every step on stderr, not only failures and retries')
    .option('--json', 'print only the report as JSON: each restored volume with its source snapshot')
    .option('--report <file>', 'with --wait: write a drill report (Markdown, or HTML if FILE ends in .html)')
    .option('--rto-target <minutes>', 'the agreed RTO in minutes; a volume over it fails the drill', positiveMinutes)
    .option('--name <name>', 'execution name', executionName)
    .option(
      '--state-machine <name|arn>',
      `the restore state machine (default: the snapshot state machine's name and -restore, ${DEFAULT_RESTORE_STATE_MACHINE})`,
    )
    .option(
      '--snapshot-state-machine <name|arn>',
      `where --from finds an execution by name (default: the --stage's, else $${STATE_MACHINE_VARIABLE}, else ${DEFAULT_STATE_MACHINE})`,
    )
    .option('--stage <stage>', 'the stage the stack was deployed with: sgw-recovery-snapshots-<stage>(-restore)')
    .option('--poll-ms <ms>', 'how often --wait reads the history', wholeNumber(1))
    .action(async (flags: RestoreFlags) => {
      const { stage, snapshotStateMachine, stateMachine, ...rest } = flags;
      // The stack deploys both state machines: the restore one is the snapshot one's name and `-restore`.
      const snapshot = stateMachineOf(
        { ...(snapshotStateMachine ? { stateMachine: snapshotStateMachine } : {}), ...(stage ? { stage } : {}) },
        io.env,
      );
      const options = { ...rest, snapshotStateMachine: snapshot, stateMachine: stateMachine ?? `${snapshot}-restore` };
      process.exitCode = await restore(options, io, deps);
    });
}

/** The flags as commander gives them: the state machines are picked from them and the environment. */
type RestoreFlags = Omit<RestoreCommandOptions, 'stateMachine' | 'snapshotStateMachine'> & {
  stateMachine?: string;
  snapshotStateMachine?: string;
  stage?: string;
};

/** Runs `sgw-snap restore`; returns the exit code (as `start`'s: 0 succeeded, 1 failed, 2 usage, 3 unreachable). */
export function restore(options: RestoreCommandOptions, io: CliIo, deps: SfnCommandDeps): Promise<ExitCode> {
  return runCommand(io, 'restore', async () => {
    const fields = inputFields(options);
    // Every field but the manifest, checked before any AWS call.
    checkInput({ manifestUri: 's3://bucket/manifest.json', ...fields });
    if (options.report && !options.wait)
      throw new UsageError('--report needs --wait: the report is written once the restore has ended');
    if (options.report) await assertWritablePath(options.report, '--report');
    const session = openSession(io, deps);
    try {
      const source = await restoreSourceOf(options.from, session, options.snapshotStateMachine);
      const input = { ...source, ...fields };
      checkInput(input);
      const stateMachineArn = await session.sfn.stateMachineArn(options.stateMachine);
      const started = await session.sfn.startExecution({
        stateMachineArn,
        input: JSON.stringify(input),
        ...(options.name ? { name: options.name } : {}),
      });
      if (!options.wait) {
        const link = session.local ? undefined : consoleLinkOf(started.executionArn);
        io.stdout.write(
          options.json
            ? `${JSON.stringify(started, null, 2)}\n`
            : `${started.executionArn}\nstarted ${started.startDate.toISOString()}\n${link ? `${link}\n` : ''}`,
        );
        return ExitCode.Succeeded;
      }
      return await waitForRestore(session, started, options, io, deps);
    } finally {
      session.close();
    }
  });
}

/** What `--wait` and the flags that go with it ask of a restore execution (`restore` and `redrive`). */
export interface RestoreWaitOptions {
  stateMachine: string;
  json?: boolean | undefined;
  verbose?: boolean | undefined;
  report?: string | undefined;
  rtoTarget?: number | undefined;
  pollMs?: number | undefined;
}

/**
 * Follows a restore execution to its end with the live progress (volumes done of the total, failed, elapsed, ETA),
 * then prints its result (and writes the drill report with `--report`); Ctrl-C stops only the following (exit 130).
 * `afterEventId`: of a redrive, where the redriven attempt's history begins.
 */
export async function waitForRestore(
  session: SfnSession,
  started: { executionArn: string; startDate: Date },
  options: RestoreWaitOptions,
  io: CliIo,
  deps: SfnCommandDeps,
  afterEventId?: number,
): Promise<ExitCode> {
  const view = followedView(restoreWorkflow, started, options, io, deps);
  const followed = await followUntilInterrupted(session, started, io, deps, {
    workflow: restoreWorkflow,
    view,
    pollMs: options.pollMs,
    ...(afterEventId === undefined ? {} : { afterEventId }),
    hint: {
      follow: `aws stepfunctions describe-execution --execution-arn ${started.executionArn}`,
      stop: stopHintOf(started.executionArn),
    },
  });
  if (!followed) return ExitCode.Interrupted;
  const digest = reportOfExecution<RestoreDigest>(followed, restoreWorkflow);
  view?.finish(digest);
  const report = digest?.evidence
    ? ((await session.evidence.readJsonAt(digest.evidence.report)) as RestoreReport)
    : undefined;
  printRestoreOutcome(io, followed, { report, digest }, Boolean(options.json), !session.local);
  if (options.report) {
    await writeRestoreDrillReport(
      options.report,
      followed.description,
      report,
      options.rtoTarget,
      session,
      io,
      deps,
      Boolean(options.json),
    );
  }
  return exitCodeOf(followed.description.status);
}

/** The input fields the flags give; the manifest comes from `--from`. */
function inputFields(options: RestoreCommandOptions): Record<string, unknown> {
  if (Boolean(options.toGateway) === Boolean(options.toEbs))
    throw new UsageError('give exactly one of --to-gateway ARN and --to-ebs AVAILABILITY_ZONE');
  if (options.toGateway && !options.networkInterface)
    throw new UsageError("--to-gateway needs --network-interface: the gateway's IP address for the iSCSI targets");
  if (options.networkInterface && !options.toGateway) throw new UsageError('--network-interface needs --to-gateway');
  return {
    target: options.toGateway
      ? { gateway: { gatewayArn: options.toGateway, networkInterfaceId: options.networkInterface } }
      : { ebs: { availabilityZone: options.toEbs } },
    ...(options.volume?.length ? { volumeArns: options.volume } : {}),
    ...(options.gateway?.length ? { gatewayArns: options.gateway } : {}),
    test: Boolean(options.test),
    check: Boolean(options.check),
    ...(options.rtoTarget === undefined ? {} : { rtoTargetMinutes: options.rtoTarget }),
  };
}

// The input fields' flags, for a message that names what the operator typed.
const FLAG_OF: Readonly<Record<string, string>> = {
  'target.gateway.gatewayArn': '--to-gateway',
  'target.gateway.networkInterfaceId': '--network-interface',
  'target.ebs.availabilityZone': '--to-ebs',
  target: '--to-gateway/--to-ebs',
  volumeArns: '--volume',
  gatewayArns: '--gateway',
  rtoTargetMinutes: '--rto-target',
};

/** @throws {UsageError} naming the flag of the first bad field */
function checkInput(input: Record<string, unknown>): void {
  try {
    parseRestoreInput(input);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const field = error.field.replace(/\[\d+\]$/, '');
    throw new UsageError(`${FLAG_OF[field] ?? field}: ${error.message}`, { cause: error });
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Parses `--rto-target`: a positive number of minutes. */
export function positiveMinutes(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('must be a positive number of minutes');
  return number;
}
