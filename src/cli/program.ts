import { Command } from 'commander';
import { registerEmulatorCommand } from './commands/emulator.ts';
import { registerListCommand } from './commands/list.ts';
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
  registerServeCommand(program);
  return program;
}
