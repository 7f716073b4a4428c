import type { ExecutionReport } from '../../report/execution-report.ts';
import { buildDrillReport, lookUpCaller, writeDrillReport } from '../drill-report/index.ts';
import type { CliIo } from '../io.ts';
import type { SfnCommandDeps, SfnSession } from './session.ts';
import type { ExecutionDescription } from './step-functions.ts';

/** Writes the drill report of an execution, from its whole report, to `path` and says so on stderr. */
export async function writeDrillReportFile(
  path: string,
  execution: ExecutionDescription,
  report: ExecutionReport | undefined,
  options: { rpoTargetMs?: number | undefined },
  session: SfnSession,
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<void> {
  const caller = await lookUpCaller({ env: io.env, local: session.local, ...(deps.sts ? { sts: deps.sts } : {}) });
  const drill = buildDrillReport({
    generatedAt: (deps.now ?? (() => new Date()))(),
    caller,
    execution,
    report,
    ...(options.rpoTargetMs === undefined ? {} : { rpoTargetMs: options.rpoTargetMs }),
  });
  await writeDrillReport(path, drill);
  io.stderr.write(`drill report written to ${path}: ${drill.passed ? 'PASSED' : 'FAILED'}\n`);
}
