import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { ProgressCountsBase, WorkflowDescriptor } from '../../workflow/descriptor.ts';
import type { CliIo } from '../io.ts';
import type { ExecutionSeen } from '../outcome.ts';
import { ProgressTracker } from '../progress.ts';
import type { ProgressView } from '../progress-view.ts';
import { type ExecutionHistories, followExecution } from './follow.ts';
import { HistoryNarrator, type NarratedWorkflow } from './narrate.ts';
import type { StepFunctions } from './step-functions.ts';

/**
 * Follows an execution of `workflow` to its end, writing to stderr what happens as the history shows
 * it (its states' steps as the descriptor tells them, failures, retries) and the counts at the end. The
 * steps of a Distributed Map run's child executions are told as if they were the execution's own.
 */
export async function watchExecution<TCounts extends ProgressCountsBase, TReport>(
  sfn: StepFunctions,
  execution: { executionArn: string; startDate: Date },
  io: CliIo,
  options: {
    workflow: WorkflowDescriptor<TCounts, TReport>;
    pollMs?: number;
    sleep?: (ms: number) => Promise<void>;
    /** Where the narration goes; `undefined` (with `--json`) for none. */
    view?: ProgressView<TCounts, TReport>;
    /** Events up to this ID are an earlier attempt's (before a redrive): not told. */
    afterEventId?: number;
  },
): Promise<ExecutionSeen & ExecutionHistories> {
  const { workflow, view } = options;
  const narrators = new Map<string, HistoryNarrator>();
  const followed = await followExecution(sfn, execution.executionArn, {
    ...options,
    onEvents: (events) => {
      for (const { executionArn, child, event } of events) {
        const { step, line, importance } = narratorOf(narrators, workflow, executionArn, child).read(event);
        const atMs = event.timestamp?.getTime();
        if (step) view?.step(step, { line, atMs, ...(importance ? { importance } : {}) });
        else if (line && importance === 'problem') view?.step(undefined, { line, importance, atMs });
        else if (line) view?.note(line, atMs);
      }
    },
    onRefused: (message) => (view ? view.note(message) : io.stderr.write(`${message}\n`)),
  });
  return followed;
}

/** Counts of what the histories of an execution of `workflow` show so far, and what it waits for, as one line. */
export function progressLineOf<TCounts extends ProgressCountsBase>(
  histories: ExecutionHistories,
  workflow: WorkflowDescriptor<TCounts>,
): string {
  const progress = new ProgressTracker(workflow);
  const count = (events: readonly HistoryEvent[], narrator: HistoryNarrator): void => {
    for (const event of events) {
      const { step } = narrator.read(event);
      if (step) progress.record(step);
    }
  };
  count(histories.events, new HistoryNarrator(workflow));
  for (const child of histories.children) count(child.events, new HistoryNarrator(workflow, { child: true }));
  const { waiting } = progress.figures();
  return waiting ? `${progress.line()}; waiting for completion: ${waiting}` : progress.line();
}

// Event IDs count from 1 in every execution, so each history needs a narrator of its own.
function narratorOf(
  narrators: Map<string, HistoryNarrator>,
  workflow: NarratedWorkflow,
  executionArn: string,
  child: boolean,
): HistoryNarrator {
  const found = narrators.get(executionArn) ?? new HistoryNarrator(workflow, { child });
  narrators.set(executionArn, found);
  return found;
}
