import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { CliIo } from '../io.ts';
import { ProgressTracker } from '../progress.ts';
import { followExecution } from './history.ts';
import { HistoryNarrator } from './narrate.ts';
import type { ExecutionDescription, StepFunctions } from './step-functions.ts';

/**
 * Follows an execution to its end, writing to stderr what happens as the history shows it
 * (gateways listed, snapshots made, skips, failures, retries) and the counts at the end.
 */
export async function watchExecution(
  sfn: StepFunctions,
  execution: { executionArn: string; startDate: Date },
  io: CliIo,
  options: { pollMs?: number; sleep?: (ms: number) => Promise<void> },
): Promise<{ description: ExecutionDescription; events: HistoryEvent[] }> {
  const narrator = new HistoryNarrator();
  const progress = new ProgressTracker();
  const startMs = execution.startDate.getTime();
  const followed = await followExecution(sfn, execution.executionArn, {
    ...options,
    onEvents: (events) => {
      for (const event of events) {
        const { step, line } = narrator.read(event);
        if (step) progress.record(step);
        if (line) io.stderr.write(`[+${elapsed(event.timestamp, startMs)}] ${line}\n`);
      }
    },
  });
  io.stderr.write(`${progress.line()}\n`);
  return followed;
}

/** Counts of what the history shows so far, as one line. */
export function progressLineOf(events: readonly HistoryEvent[]): string {
  const narrator = new HistoryNarrator();
  const progress = new ProgressTracker();
  for (const event of events) {
    const { step } = narrator.read(event);
    if (step) progress.record(step);
  }
  return progress.line();
}

function elapsed(timestamp: Date | undefined, startMs: number): string {
  const seconds = Math.max(0, ((timestamp?.getTime() ?? startMs) - startMs) / 1000);
  return `${seconds.toFixed(1)}s`;
}
