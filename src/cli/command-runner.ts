import { ExitCode, SgwSnapshotError } from '../errors.ts';
import type { CliIo } from './io.ts';

/**
 * Runs the work of `sgw-snap <command>` and turns whatever it throws into a line on stderr and an
 * exit code: an error of ours exits with its own `exitCode`; anything else is a fault of the CLI,
 * printed with its stack, and exits 1. Commands set `process.exitCode` from the result; nothing
 * calls `process.exit()`, so open handles close and buffered output is written.
 * @returns what `act` returned, or the exit code of what it threw
 */
export async function runCommand(
  io: Pick<CliIo, 'stderr'>,
  command: string,
  act: () => Promise<ExitCode>,
): Promise<ExitCode> {
  try {
    return await act();
  } catch (error) {
    if (error instanceof SgwSnapshotError) {
      io.stderr.write(`sgw-snap ${command}: ${error.message}\n`);
      return error.exitCode;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`sgw-snap ${command}: ${detail}\n`);
    return ExitCode.Failed;
  }
}
