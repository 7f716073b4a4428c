import type { WorkflowDescriptor } from '../../workflow/descriptor.ts';
import { buildDrillReport, lookUpCaller, writeDrillReport } from '../drill-report/index.ts';
import type { CliIo } from '../io.ts';
import { type ExecutionSeen, executionReportOf } from '../outcome.ts';
import type { ExecutionHistories } from './follow.ts';
import type { SfnCommandDeps, SfnSession } from './session.ts';

/** Writes the drill report of an execution of `workflow` to `path` and says so on stderr. */
export async function writeDrillReportFile(
  path: string,
  source: ExecutionSeen & ExecutionHistories,
  workflow: WorkflowDescriptor,
  session: SfnSession,
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<void> {
  const caller = await lookUpCaller({ env: io.env, local: session.local, ...(deps.sts ? { sts: deps.sts } : {}) });
  const report = buildDrillReport({
    generatedAt: (deps.now ?? (() => new Date()))(),
    caller,
    execution: source.description,
    report: executionReportOf(source),
    // Each snapshot's time is read from its own event: which history holds it does not matter.
    events: [...source.events, ...source.children.flatMap((child) => child.events)],
    workflow,
  });
  await writeDrillReport(path, report);
  io.stderr.write(`drill report written to ${path}\n`);
}
