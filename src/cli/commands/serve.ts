import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.ts';
import { createSfnEndpoint, type SfnEndpointOptions } from '../../local/sfn-endpoint/index.ts';
import { restoreWorkflow } from '../../workflow/restore.ts';
import { snapshotWorkflow } from '../../workflow/snapshot.ts';
import { runCommand } from '../command-runner.ts';
import { type CliIo, processIo, type SignalSource, waitForStopSignal } from '../io.ts';
import {
  DEFAULT_SERVE_PORT,
  DEFAULT_SERVE_S3_PORT,
  DEFAULT_STATE_MACHINE,
  portNumber,
  readFaultsOption,
} from '../options.ts';
import { DEFAULT_RESTORE_STATE_MACHINE } from './restore.ts';

export interface ServeOptions {
  port: number;
  /** @default 0 in tests that pass options directly: any free port */
  s3Port?: number;
  fleet?: string;
  faults?: string;
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
    .option('--port <n>', 'port to listen on, 0 for any free port', portNumber, DEFAULT_SERVE_PORT)
    .option(
      '--s3-port <n>',
      "port of the S3 server holding the executions' evidence",
      portNumber,
      DEFAULT_SERVE_S3_PORT,
    )
    .option('--fleet <file>', 'fleet file for the emulator (default: the demo fleet)')
    .option('--faults <file>', 'fault file: fault rules (a JSON list) applied over the fleet')
    .option('--real-time', 'keep retry and wait intervals as written instead of compressing them')
    .action(async (options: ServeOptions) => {
      process.exitCode = await serve(options, io, deps);
    });
}

/** Serves until SIGINT or SIGTERM; returns the exit code. */
export function serve(options: ServeOptions, io: CliIo, deps: ServeDeps = {}): Promise<ExitCode> {
  return runCommand(io, 'serve', async () => {
    const faults = await readFaultsOption(options.faults);
    const endpoint = createSfnEndpoint({
      env: io.env,
      workflow: snapshotWorkflow,
      ...deps.endpoint,
      stateMachineName: DEFAULT_STATE_MACHINE,
      // Restore (issue 14): the restore state machine over the same emulator, so a run's snapshots can be restored.
      alsoServe: [{ workflow: restoreWorkflow, stateMachineName: DEFAULT_RESTORE_STATE_MACHINE }],
      ...(options.fleet ? { fleetPath: options.fleet } : {}),
      ...(faults.length ? { faults } : {}),
      ...(options.realTime ? { realTime: true } : {}),
      ...(options.s3Port === undefined ? {} : { s3Port: options.s3Port }),
    });
    let url: string;
    let evidenceUrl: string | undefined;
    try {
      ({ url, evidenceUrl } = await endpoint.listen({ port: options.port }));
    } catch (error) {
      await endpoint.close();
      // Whatever keeps the endpoint from starting (the fleet file, the port) is the command line's to fix.
      const flag = options.fleet ? `--fleet ${options.fleet}: ` : '';
      throw new UsageError(`${flag}${(error as Error).message}`, { cause: error });
    }
    io.stdout.write(
      `Step Functions endpoint listening on ${url}, serving ${endpoint.stateMachineArns.join(' and ')}\n`,
    );
    io.stdout.write(`export AWS_ENDPOINT_URL_SFN=${url}\n`);
    // The executions' whole reports are in this S3 server: `start --wait`, `status` and `report` read them there.
    if (evidenceUrl) io.stdout.write(`export AWS_ENDPOINT_URL_S3=${evidenceUrl}\n`);
    await waitForStopSignal(deps.signals ?? process);
    await endpoint.close();
    return ExitCode.Succeeded;
  });
}
