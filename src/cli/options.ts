import { type Command, InvalidArgumentError } from 'commander';
import { InvalidFleetError, UsageError } from '../errors.ts';
import { executionNameProblem } from '../input/execution-name.ts';
import type { FaultRule } from '../local/emulator/faults.ts';
import { loadFaultFile } from '../local/fault-file.ts';

/**
 * The state machine `sgw-snap` starts unless `--state-machine` says otherwise: the name
 * `serverless.yml` deploys on the default stage (`${self:service}-${sls:stage}`, stage `dev`).
 * `sgw-snap serve` serves the same name, so the local runbook needs no flags either.
 */
export const DEFAULT_STATE_MACHINE = 'sgw-recovery-snapshots-dev';
/** The environment variable naming the state machine when neither `--state-machine` nor `--stage` does. */
export const STATE_MACHINE_VARIABLE = 'SGW_SNAP_STATE_MACHINE';
// serverless.yml names the state machine `${self:service}-${sls:stage}`.
const SERVICE = 'sgw-recovery-snapshots';

/** The flags that pick the state machine a command works on, in the order {@link stateMachineOf} reads them. */
export interface StateMachineFlags {
  stateMachine?: string;
  stage?: string;
}

/** Adds `--state-machine NAME|ARN` and `--stage STAGE` to a command. */
export function addStateMachineOptions(command: Command, what: string): Command {
  return command
    .option(
      '--state-machine <name|arn>',
      `${what} (default: the --stage's, else $${STATE_MACHINE_VARIABLE}, else ${DEFAULT_STATE_MACHINE})`,
    )
    .option('--stage <stage>', `the stage it was deployed with (npx serverless deploy --stage): ${SERVICE}-<stage>`);
}

/** The state machine a command works on: `--state-machine`, else `--stage`'s, else `$SGW_SNAP_STATE_MACHINE`, else the default. */
export function stateMachineOf(flags: StateMachineFlags, env: NodeJS.ProcessEnv): string {
  return (
    flags.stateMachine ??
    (flags.stage === undefined ? undefined : `${SERVICE}-${flags.stage}`) ??
    (env[STATE_MACHINE_VARIABLE] || DEFAULT_STATE_MACHINE)
  );
}

/**
 * Parses an enumerated flag value whatever its case (`failed`, `Failed`, `FAILED`), into the spelling of `choices`.
 * @throws {InvalidArgumentError} naming the choices
 */
export function oneOf<const T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    const found = choices.find((choice) => choice.toLowerCase() === value.toLowerCase());
    if (!found) throw new InvalidArgumentError(`must be one of ${choices.join(', ')} (any case)`);
    return found;
  };
}

/** How many executions `sgw-snap list` shows unless `--max` says otherwise. */
export const DEFAULT_LIST_MAX = 20;
/** Port `sgw-snap serve` listens on unless `--port` says otherwise: Step Functions Local's. */
export const DEFAULT_SERVE_PORT = 8083;
/** Port of `sgw-snap serve`'s S3 server (the executions' evidence) unless `--s3-port` says otherwise. */
export const DEFAULT_SERVE_S3_PORT = 8084;
/** Port `sgw-snap emulator` listens on unless `--port` says otherwise; LocalStack keeps 4566. */
export const DEFAULT_EMULATOR_PORT = 4599;
const MAX_PORT = 65_535;

/** Parses a whole number flag value, at least `min`. */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min) {
      throw new InvalidArgumentError(
        min === 0 ? 'must be a whole number' : `must be a whole number of at least ${min}`,
      );
    }
    return number;
  };
}

/** Parses `--name`: an execution name Step Functions takes (`executionNameProblem`), refused before anything starts. */
export function executionName(value: string): string {
  const problem = executionNameProblem(value);
  if (problem) throw new InvalidArgumentError(`not an execution name Step Functions takes: ${problem}`);
  return value;
}

/** Parses `--port`: a whole number up to `MAX_PORT`, 0 for any free port. */
export function portNumber(value: string): number {
  const port = wholeNumber(0)(value);
  if (port > MAX_PORT) throw new InvalidArgumentError(`must be at most ${MAX_PORT}`);
  return port;
}

/** A `--fleet` file that cannot be read or is no fleet, as the usage error it is; any other error as it is. */
export function asFleetUsageError(error: unknown): unknown {
  return error instanceof InvalidFleetError ? new UsageError(`--fleet: ${error.message}`, { cause: error }) : error;
}

/**
 * Reads `--faults FILE`: the emulator's fault rules to apply over the fleet; none without the flag.
 * @throws {UsageError} when the file cannot be read or is not a list of fault rules
 */
export async function readFaultsOption(path: string | undefined): Promise<FaultRule[]> {
  if (path === undefined) return [];
  return loadFaultFile(path).catch((error: unknown) => {
    throw new UsageError(`--faults: ${(error as Error).message}`, { cause: error });
  });
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration flag value (`90s`, `30m`, `4h`, `1d`, or combined: `1h30m`) into milliseconds. */
export function durationMs(value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== value) {
    throw new InvalidArgumentError('must be a duration such as 90s, 30m, 4h, 1d or 1h30m');
  }
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (DURATION_UNITS_MS[unit ?? ''] ?? 0), 0);
}
