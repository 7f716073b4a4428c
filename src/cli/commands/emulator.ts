import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import { createEmulator, DEFAULT_SNAPSHOT_COMPLETION_MS } from '../../local/emulator/index.ts';
import { loadFleet } from '../../local/fleet.ts';
import { type SignalSource, waitForStopSignal } from '../wait-for-signal.ts';

/** Port `sgw-snap emulator` listens on unless `--port` says otherwise; LocalStack keeps 4566. */
export const DEFAULT_EMULATOR_PORT = 4599;
/** The fleet `sgw-snap emulator` serves unless `--fleet` says otherwise. */
export const DEFAULT_FLEET_PATH = fileURLToPath(new URL('../../local/fleets/demo.json', import.meta.url));
const MAX_PORT = 65_535;

/** What the command needs from its surroundings; tests pass their own. */
export interface EmulatorCommandIo {
  /** @default writes the line to stdout */
  log?: (line: string) => void;
  /** Where SIGINT and SIGTERM arrive. @default process */
  signals?: SignalSource;
}

interface EmulatorCommandOptions {
  fleet: string;
  port: number;
  snapshotCompletionMs: number;
}

/**
 * Adds `emulator [--fleet FILE] [--port N] [--snapshot-completion-ms MS]`: serves the fleet until
 * SIGINT or SIGTERM, and its action resolves once the server is closed.
 * @returns the `emulator` command
 */
export function registerEmulatorCommand(program: Command, io: EmulatorCommandIo = {}): Command {
  const log = io.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const signals = io.signals ?? process;
  return program
    .command('emulator')
    .description('Serve a local Storage Gateway + EC2 API over a fleet file')
    .option('--fleet <file>', 'fleet JSON file', DEFAULT_FLEET_PATH)
    .option('--port <n>', 'port to listen on, 0 for any free port', parsePort, DEFAULT_EMULATOR_PORT)
    .option(
      '--snapshot-completion-ms <ms>',
      'how long new snapshots stay pending',
      parseWholeNumber,
      DEFAULT_SNAPSHOT_COMPLETION_MS,
    )
    .action(async (options: EmulatorCommandOptions) => {
      const emulator = createEmulator({
        fleet: await loadFleet(options.fleet),
        snapshotCompletionMs: options.snapshotCompletionMs,
      });
      const { url } = await emulator.listen({ port: options.port });
      log(`Storage Gateway + EC2 emulator listening on ${url}`);
      log(`export AWS_ENDPOINT_URL_STORAGE_GATEWAY=${url}`);
      log(`export AWS_ENDPOINT_URL_EC2=${url}`);
      await waitForStopSignal(signals);
      await emulator.close();
    });
}

function parseWholeNumber(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) throw new InvalidArgumentError('must be a whole number');
  return number;
}

function parsePort(value: string): number {
  const port = parseWholeNumber(value);
  if (port > MAX_PORT) throw new InvalidArgumentError(`must be at most ${MAX_PORT}`);
  return port;
}
