#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// Each command is a fresh Node that strips and compiles some hundred TypeScript and SDK modules: cached on disk (in
// the system's temporary directory), a command starts in about half the time from its second run on.
enableCompileCache();

// The Lambda handlers that local runs call in-process log JSON for CloudWatch; on a terminal that is
// noise unless asked for. The logger reads this once, when its module loads: hence before the import.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
// Their metrics (EMF lines for CloudWatch) likewise: a local run prints the same figures as one line of text.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const { runProgram } = await import('../src/cli/program.ts');

await runProgram(process.argv);
