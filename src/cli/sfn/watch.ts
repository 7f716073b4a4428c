import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { CliIo } from '../io.ts';
import type { ExecutionSeen } from '../outcome.ts';
import { ProgressTracker } from '../progress.ts';
import { type ExecutionHistories, followExecution } from './follow.ts';
import { HistoryNarrator } from './narrate.ts';
import type { StepFunctions } from './step-functions.ts';

/**
 * Follows an execution to its end, writing to stderr what happens as the history shows it
 * (gateways listed, snapshots made, skips, failures, retries) and the counts at the end. The steps
 * of a Distributed Map run's child executions are told as if they were the execution's own.
 */
export async function watchExecution(
  sfn: StepFunctions,
  execution: { executionArn: string; startDate: Date },
  io: CliIo,
  options: { pollMs?: number; sleep?: (ms: number) => Promise<void> },
): Promise<ExecutionSeen & ExecutionHistories> {
  const narrators = new Map<string, HistoryNarrator>();
  const progress = new ProgressTracker();
  const startMs = execution.startDate.getTime();
  const followed = await followExecution(sfn, execution.executionArn, {
    ...options,
    onEvents: (events) => {
      for (const { executionArn, child, event } of events) {
        const { step, line } = narratorOf(narrators, executionArn, child).read(event);
        if (step) progress.record(step);
        if (line) io.stderr.write(`[+${elapsed(event.timestamp, startMs)}] ${line}\n`);
      }
    },
    onRefused: (message) => io.stderr.write(`${message}\n`),
  });
  io.stderr.write(`${progress.line()}\n`);
  return followed;
}

/** Counts of what the histories show so far, as one line. */
export function progressLineOf(histories: ExecutionHistories): string {
  const progress = new ProgressTracker();
  const count = (events: readonly HistoryEvent[], narrator: HistoryNarrator): void => {
    for (const event of events) {
      const { step } = narrator.read(event);
      if (step) progress.record(step);
    }
  };
  count(histories.events, new HistoryNarrator());
  for (const child of histories.children) count(child.events, new HistoryNarrator({ child: true }));
  return progress.line();
}

// Event IDs count from 1 in every execution, so each history needs a narrator of its own.
function narratorOf(narrators: Map<string, HistoryNarrator>, executionArn: string, child: boolean): HistoryNarrator {
  const found = narrators.get(executionArn) ?? new HistoryNarrator({ child });
  narrators.set(executionArn, found);
  return found;
}

function elapsed(timestamp: Date | undefined, startMs: number): string {
  const seconds = Math.max(0, ((timestamp?.getTime() ?? startMs) - startMs) / 1000);
  return `${seconds.toFixed(1)}s`;
}
