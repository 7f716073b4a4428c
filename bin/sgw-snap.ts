#!/usr/bin/env node
import { CommanderError } from 'commander';

// The Lambda handlers that local runs call in-process log JSON for CloudWatch; on a terminal that is
// noise unless asked for. The logger reads this once, when its module loads: hence before the import.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
const { ExitCode } = await import('../src/cli/exit-codes.ts');
const { makeProgram } = await import('../src/cli/program.ts');

try {
  await makeProgram().parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Help and version exit 0; every other parse error is a usage error.
  process.exitCode = error.exitCode === 0 ? ExitCode.Succeeded : ExitCode.Usage;
}
