import { type Command, InvalidArgumentError } from 'commander';
import { createSfnEndpoint, type SfnEndpointOptions } from '../../local/sfn-endpoint/index.ts';
import { snapshotWorkflow } from '../../workflow/snapshot.ts';
import { ExitCode } from '../exit-codes.ts';
import { type CliIo, processIo } from '../io.ts';
import { DEFAULT_STATE_MACHINE } from '../sfn/defaults.ts';
import { wholeNumber } from '../sfn/options.ts';
import { UsageError } from '../usage-error.ts';
import { type SignalSource, waitForStopSignal } from '../wait-for-signal.ts';

/** Port `sgw-snap serve` listens on unless `--port` says otherwise: Step Functions Local's. */
export const DEFAULT_SERVE_PORT = 8083;
const MAX_PORT = 65_535;

export interface ServeOptions {
  port: number;
  fleet?: string;
  realTime?: boolean;
}

/** What `serve` needs besides the streams; tests pass their own. */
export interface ServeDeps {
  /** Where SIGINT and SIGTERM arrive. @default process */
  signals?: SignalSource;
  /** Extra endpoint options, e.g. a ready stack with fault rules. */
  endpoint?: Omit<SfnEndpointOptions, 'fleetPath' | 'stateMachineName'>;
}

/**
 * `sgw-snap serve`: a local Step Functions endpoint running the real ASL on the local engine against
 * the emulator, so that `AWS_ENDPOINT_URL_SFN` points the whole runbook at this machine.
 */
export function registerServeCommand(program: Command, io: CliIo = processIo, deps: ServeDeps = {}): void {
  program
    .command('serve')
    .description('Serve a local Step Functions API over the real state machine and the Storage Gateway emulator')
    .option('--port <n>', 'port to listen on, 0 for any free port', port, DEFAULT_SERVE_PORT)
    .option('--fleet <file>', 'fleet file for the emulator (default: the demo fleet)')
    .option('--real-time', 'keep retry and wait intervals as written instead of compressing them')
    .action(async (options: ServeOptions) => {
      process.exitCode = await serve(options, io, deps);
    });
}

/** Serves until SIGINT or SIGTERM; returns the exit code. */
export async function serve(options: ServeOptions, io: CliIo, deps: ServeDeps = {}): Promise<ExitCode> {
  const signals = deps.signals ?? process;
  const endpoint = createSfnEndpoint({
    env: io.env,
    workflow: snapshotWorkflow,
    ...deps.endpoint,
    stateMachineName: DEFAULT_STATE_MACHINE,
    ...(options.fleet ? { fleetPath: options.fleet } : {}),
    ...(options.realTime ? { realTime: true } : {}),
  });
  let url: string;
  try {
    ({ url } = await endpoint.listen({ port: options.port }));
  } catch (error) {
    await endpoint.close();
    const reason = error instanceof UsageError ? error : new UsageError((error as Error).message, { cause: error });
    io.stderr.write(`sgw-snap serve: ${options.fleet ? `--fleet ${options.fleet}: ` : ''}${reason.message}\n`);
    return ExitCode.Usage;
  }
  io.stdout.write(`Step Functions endpoint listening on ${url}, serving ${endpoint.stateMachineArn}\n`);
  io.stdout.write(`export AWS_ENDPOINT_URL_SFN=${url}\n`);
  await waitForStopSignal(signals);
  await endpoint.close();
  return ExitCode.Succeeded;
}

function port(value: string): number {
  const number = wholeNumber(0)(value);
  if (number > MAX_PORT) throw new InvalidArgumentError(`must be at most ${MAX_PORT}`);
  return number;
}
