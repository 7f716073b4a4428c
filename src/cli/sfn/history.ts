import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { StepFunctions } from './step-functions.ts';

const CLOSING_EVENTS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

/** Whether the event closes the execution. */
export function isClosingEvent(event: HistoryEvent): boolean {
  return CLOSING_EVENTS.has(event.type ?? '');
}

/** The whole history, oldest first. */
export async function readHistory(sfn: StepFunctions, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.historyPage({ executionArn, ...(nextToken ? { nextToken } : {}) });
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/**
 * The events after `afterId`, oldest first. Reads newest first and stops at the first event already
 * seen, so a long execution costs one call per poll, not its whole history.
 */
export async function readEventsAfter(
  sfn: StepFunctions,
  executionArn: string,
  afterId: number,
): Promise<HistoryEvent[]> {
  const fresh: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.historyPage({ executionArn, reverseOrder: true, ...(nextToken ? { nextToken } : {}) });
    for (const event of page.events) {
      if ((event.id ?? 0) <= afterId) return fresh.reverse();
      fresh.push(event);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return fresh.reverse();
}
