import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.ts';
import { createEmulator, DEFAULT_SNAPSHOT_COMPLETION_MS } from '../../local/emulator/index.ts';
import { loadFleet } from '../../local/fleet.ts';
import { DEMO_FLEET_PATH } from '../../local/stack.ts';
import { runCommand } from '../command-runner.ts';
import { type CliIo, type SignalSource, waitForStopSignal } from '../io.ts';
import { asFleetUsageError, DEFAULT_EMULATOR_PORT, portNumber, readFaultsOption, wholeNumber } from '../options.ts';

/** What the command needs from its surroundings; tests pass their own. */
export interface EmulatorCommandIo {
  /** @default writes the line to stdout */
  log?: (line: string) => void;
  /** Where a failure is told. @default process.stderr */
  stderr?: CliIo['stderr'];
  /** Where SIGINT and SIGTERM arrive. @default process */
  signals?: SignalSource;
}

/** The flags of `sgw-snap emulator`, parsed. */
export interface EmulatorCommandOptions {
  /** @default DEMO_FLEET_PATH */
  fleet?: string;
  /** A fault file: fault rules applied over the fleet. */
  faults?: string;
  port: number;
  snapshotCompletionMs: number;
}

/**
 * Adds `emulator [--fleet FILE] [--faults FILE] [--port N] [--snapshot-completion-ms MS]`: serves the fleet until
 * SIGINT or SIGTERM, and its action resolves once the server is closed.
 * @returns the `emulator` command
 */
export function registerEmulatorCommand(program: Command, io: EmulatorCommandIo = {}): Command {
  return (
    program
      .command('emulator')
      .description('Serve a local Storage Gateway + EC2 API over a fleet file')
      // No default value: commander would print it, a path of this machine, in the help.
      .option('--fleet <file>', 'fleet JSON file (default: the demo fleet)')
      .option('--faults <file>', 'fault file: fault rules (a JSON list) applied over the fleet')
      .option('--port <n>', 'port to listen on, 0 for any free port', portNumber, DEFAULT_EMULATOR_PORT)
      .option(
        '--snapshot-completion-ms <ms>',
        'how long new snapshots stay pending',
        wholeNumber(0),
        DEFAULT_SNAPSHOT_COMPLETION_MS,
      )
      .action(async (options: EmulatorCommandOptions) => {
        process.exitCode = await runEmulator(options, io);
      })
  );
}

/** Serves the fleet until SIGINT or SIGTERM; returns the exit code. */
export function runEmulator(options: EmulatorCommandOptions, io: EmulatorCommandIo = {}): Promise<ExitCode> {
  const log = io.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  return runCommand({ stderr: io.stderr ?? process.stderr }, 'emulator', async () => {
    const emulator = createEmulator({
      fleet: await loadFleet(options.fleet ?? DEMO_FLEET_PATH).catch((error: unknown) => {
        throw asFleetUsageError(error);
      }),
      faults: await readFaultsOption(options.faults),
      snapshotCompletionMs: options.snapshotCompletionMs,
    });
    const { url } = await emulator.listen({ port: options.port }).catch(async (error: unknown) => {
      await emulator.close().catch(() => undefined);
      // A busy or forbidden port is the command line's to fix: a message and exit 2, not a stack.
      throw new UsageError(`--port ${options.port}: ${(error as Error).message}`, { cause: error });
    });
    log(`Storage Gateway + EC2 emulator listening on ${url}`);
    log(`export AWS_ENDPOINT_URL_STORAGE_GATEWAY=${url}`);
    log(`export AWS_ENDPOINT_URL_EC2=${url}`);
    await waitForStopSignal(io.signals ?? process);
    await emulator.close();
    return ExitCode.Succeeded;
  });
}
