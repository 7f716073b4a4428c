import { AwsUnreachableError, ExitCode, PermissionDeniedError, SgwSnapshotError, UsageError } from '../errors.ts';
import type { CliIo } from './io.ts';

/**
 * Runs the work of `sgw-snap <command>` and turns whatever it throws into one error style on stderr — what failed and
 * why (`sgw-snap <command>: <message>`), then what to do, where the kind of error says — and an exit code: an error of
 * ours exits with its own `exitCode`; anything else is a fault of the CLI, printed with its stack, and exits 1. Commands set `process.exitCode` from the result; nothing
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
      const hint = hintFor(error, command);
      io.stderr.write(`sgw-snap ${command}: ${error.message}\n${hint ? `${hint}\n` : ''}`);
      return error.exitCode;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`sgw-snap ${command}: ${detail}\n`);
    return ExitCode.Failed;
  }
}

/** What to do about an error, where its kind says: the message itself says what failed and why. */
function hintFor(error: SgwSnapshotError, command: string): string | undefined {
  if (error instanceof UsageError) return `Run sgw-snap ${command} --help to see its flags.`;
  if (error instanceof PermissionDeniedError) return `Ask for ${error.permission} on the identity this shell uses.`;
  if (error instanceof AwsUnreachableError) {
    return 'Check the Region and credentials this shell uses (aws sts get-caller-identity), or point AWS_ENDPOINT_URL_SFN at a local endpoint (sgw-snap serve).';
  }
  return undefined;
}
