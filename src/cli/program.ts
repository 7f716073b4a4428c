import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../errors.ts';
import { registerEmulatorCommand } from './commands/emulator.ts';
import { registerListCommand } from './commands/list.ts';
import { registerRedriveCommand } from './commands/redrive.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerRestoreCommand } from './commands/restore.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerStopCommand } from './commands/stop.ts';

/** The version of sgw-snap: package.json's, read once. */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Builds the `sgw-snap` command line without parsing anything, so tests can drive it. */
export function makeProgram(): Command {
  const program = new Command('sgw-snap')
    .description('Snapshots of Storage Gateway cached volumes from their recovery points')
    .version(VERSION, '-V, --version', 'print the version of sgw-snap')
    // One bad value gets one line in our style and a pointer to the help, not the whole help.
    .showHelpAfterError('Run the command with --help to see its flags.')
    .configureOutput({ outputError: (text, write) => write(`sgw-snap: ${text.replace(/^error: /, '')}`) })
    .exitOverride();
  registerRunCommand(program);
  registerEmulatorCommand(program);
  registerStartCommand(program);
  registerStatusCommand(program);
  registerListCommand(program);
  registerReportCommand(program);
  registerServeCommand(program);
  registerRestoreCommand(program);
  registerStopCommand(program);
  registerRedriveCommand(program);
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
