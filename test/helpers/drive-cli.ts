import { Command } from 'commander';
import { registerListCommand } from '../../src/cli/commands/list.ts';
import { registerRedriveCommand } from '../../src/cli/commands/redrive.ts';
import { registerReportCommand } from '../../src/cli/commands/report.ts';
import { registerRestoreCommand } from '../../src/cli/commands/restore.ts';
import { registerStartCommand } from '../../src/cli/commands/start.ts';
import { registerStatusCommand } from '../../src/cli/commands/status.ts';
import { registerStopCommand } from '../../src/cli/commands/stop.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { runProgram } from '../../src/cli/program.ts';
import type { SfnCommandDeps } from '../../src/cli/sfn/session.ts';

/** What one in-process `sgw-snap` run printed and exited with. */
export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Dummy credentials and the region a local endpoint needs; never reach AWS. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
  AWS_SECRET_ACCESS_KEY: 'local-secret',
};

/**
 * Runs `sgw-snap start|status|list|report|restore|stop|redrive ...args` in this process, as `makeProgram()` registers them,
 * with captured streams; a command line commander refuses exits 2, as the bin's does; `process.exitCode` is read
 * and restored.
 */
export async function driveCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  deps: SfnCommandDeps = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  };
  const program = new Command('sgw-snap')
    .exitOverride()
    .configureOutput({ writeOut: (text) => (stdout += text), writeErr: (text) => (stderr += text) });
  registerStartCommand(program, io, { pollMs: 20, ...deps });
  registerStatusCommand(program, io, { pollMs: 20, ...deps });
  registerListCommand(program, io, { pollMs: 20, ...deps });
  registerReportCommand(program, io, { pollMs: 20, ...deps });
  registerRestoreCommand(program, io, { pollMs: 20, ...deps });
  registerStopCommand(program, io, deps);
  registerRedriveCommand(program, io, deps);
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await runProgram(['node', 'sgw-snap', ...args], program);
    return { exitCode: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.exitCode = before;
  }
}
