import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { ExecutionDescription, StepFunctions } from './step-functions.ts';

/** How often `--wait` reads the history; `GetExecutionHistory` refills at 5 calls a second per account. */
export const DEFAULT_POLL_MS = 2000;

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
export async function readEventsAfter(sfn: StepFunctions, executionArn: string, afterId: number): Promise<HistoryEvent[]> {
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

export interface FollowOptions {
  /** @default DEFAULT_POLL_MS */
  pollMs?: number;
  /** Called with each batch of new events, oldest first. */
  onEvents?: (events: HistoryEvent[]) => void;
  /** @default a timer */
  sleep?: (ms: number) => Promise<void>;
}

/** Polls the history until the execution closes; returns how it ended and every event. */
export async function followExecution(
  sfn: StepFunctions,
  executionArn: string,
  options: FollowOptions = {},
): Promise<{ description: ExecutionDescription; events: HistoryEvent[] }> {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const events: HistoryEvent[] = [];
  for (;;) {
    const fresh = await readEventsAfter(sfn, executionArn, events.at(-1)?.id ?? 0);
    if (fresh.length) {
      events.push(...fresh);
      options.onEvents?.(fresh);
    }
    if (fresh.some(isClosingEvent)) break;
    await sleep(pollMs);
  }
  return { description: await sfn.describeExecution(executionArn), events };
}
