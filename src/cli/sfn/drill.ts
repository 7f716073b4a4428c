import type { ExecutionReport } from '../../report/execution-report.ts';
import { buildDrillReport, type DrillReport, lookUpCaller, writeDrillReport } from '../drill-report/index.ts';
import type { RestoreDrillSection } from '../drill-report/restore.ts';
import type { CliIo } from '../io.ts';
import type { SfnCommandDeps, SfnSession } from './session.ts';
import type { ExecutionDescription } from './step-functions.ts';

/** The drill report of an execution, from its whole report; the caller is looked up as `local` says. */
export async function drillReportOf(
  execution: ExecutionDescription,
  report: ExecutionReport | undefined,
  options: { rpoTargetMs?: number | undefined; local: boolean; restore?: RestoreDrillSection },
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<DrillReport> {
  const caller = await lookUpCaller({ env: io.env, local: options.local, ...(deps.sts ? { sts: deps.sts } : {}) });
  return buildDrillReport({
    generatedAt: (deps.now ?? (() => new Date()))(),
    caller,
    execution,
    report,
    ...(options.rpoTargetMs === undefined ? {} : { rpoTargetMs: options.rpoTargetMs }),
    ...(options.restore ? { restore: options.restore } : {}),
  });
}

/** Writes the drill report of an execution, from its whole report, to `path` and says so on stderr unless `quiet` (`--json`). */
export async function writeDrillReportFile(
  path: string,
  execution: ExecutionDescription,
  report: ExecutionReport | undefined,
  options: { rpoTargetMs?: number | undefined },
  session: SfnSession,
  io: CliIo,
  deps: SfnCommandDeps,
  quiet = false,
): Promise<void> {
  const drill = await drillReportOf(execution, report, { ...options, local: session.local }, io, deps);
  await writeDrillReport(path, drill);
  if (!quiet) io.stderr.write(`drill report written to ${path}: ${drill.passed ? 'PASSED' : 'FAILED'}\n`);
}
