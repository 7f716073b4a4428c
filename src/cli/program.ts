import { Command, CommanderError } from 'commander';
import { ExitCode } from '../errors.ts';
import { registerEmulatorCommand } from './commands/emulator.ts';
import { registerListCommand } from './commands/list.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerRestoreCommand } from './commands/restore.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerStatusCommand } from './commands/status.ts';

/** Builds the `sgw-snap` command line without parsing anything, so tests can drive it. */
export function makeProgram(): Command {
  const program = new Command('sgw-snap')
    .description('Snapshots of Storage Gateway cached volumes from their recovery points')
    .showHelpAfterError()
    .exitOverride();
  registerRunCommand(program);
  registerEmulatorCommand(program);
  registerStartCommand(program);
  registerStatusCommand(program);
  registerListCommand(program);
  registerReportCommand(program);
  registerServeCommand(program);
  registerRestoreCommand(program);
  return program;
}

/**
 * Parses `argv` and runs the command it names, which sets `process.exitCode`. Help and version exit 0;
 * any other parse error (commander has printed it) is a usage error.
 */
export async function runProgram(argv: readonly string[], program: Command = makeProgram()): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    process.exitCode = error.exitCode === 0 ? ExitCode.Succeeded : ExitCode.Usage;
  }
}
