import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { WorkflowDescriptor } from '../../workflow/descriptor.ts';
import type { ExecutionSeen } from '../outcome.ts';
import { failStateInputOf } from './fail-state-input.ts';
import { isClosingEvent, readEventsAfter, readHistory } from './history.ts';
import { type ExecutionHistory, MapRunChildren } from './map-run-children.ts';
import type { StepFunctions } from './step-functions.ts';

/** How often `--wait` reads the history; `GetExecutionHistory` refills at 5 calls a second per account. */
export const DEFAULT_POLL_MS = 2000;

/** An execution's history and those of the child executions its Distributed Map runs started. */
export interface ExecutionHistories {
  events: HistoryEvent[];
  children: ExecutionHistory[];
}

/** One history event and the execution it is from: the one followed, or a child of its map run. */
export interface SourcedEvent {
  executionArn: string;
  child: boolean;
  event: HistoryEvent;
}

export interface FollowOptions {
  /** The workflow the execution runs: where its Fail state's input is found. */
  workflow: Pick<WorkflowDescriptor, 'failState'>;
  /** @default DEFAULT_POLL_MS */
  pollMs?: number;
  /** Called with each batch of new events, oldest first, the children's among the execution's. */
  onEvents?: (events: SourcedEvent[]) => void;
  /** Told once when the child executions cannot be followed for want of a permission. */
  onRefused?: (message: string) => void;
  /** @default a timer */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Events up to this ID are an earlier attempt's (a redriven execution's history goes on after them): their map
   * runs are followed, but they are not passed to `onEvents`, and their closing event does not end the following.
   */
  afterEventId?: number;
}

/**
 * Polls the history, and those of the map run's child executions, until the execution closes;
 * returns how it ended (with the workflow's Fail state's input, if it failed there) and every event.
 */
export async function followExecution(
  sfn: StepFunctions,
  executionArn: string,
  options: FollowOptions,
): Promise<ExecutionSeen & ExecutionHistories> {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const children = new MapRunChildren(sfn, options.onRefused ? { onRefused: options.onRefused } : {});
  const events: HistoryEvent[] = [];
  if (options.afterEventId !== undefined) {
    const afterId = options.afterEventId;
    events.push(...(await readHistory(sfn, executionArn)).filter((event) => (event.id ?? 0) <= afterId));
    children.observe(events);
  }
  for (;;) {
    const fresh = await readEventsAfter(sfn, executionArn, events.at(-1)?.id ?? 0);
    events.push(...fresh);
    children.observe(fresh);
    const closed = fresh.some(isClosingEvent);
    const freshOfChildren = closed ? await children.drain() : await children.poll();
    const batch = interleave([{ executionArn, events: fresh }, ...freshOfChildren], executionArn);
    if (batch.length) options.onEvents?.(batch);
    if (closed) break;
    await sleep(pollMs);
  }
  const description = await sfn.describeExecution(executionArn);
  return {
    description,
    failStateInput: failStateInputOf(events, options.workflow),
    events,
    children: children.histories(),
  };
}

/** The whole history of an execution and of its map runs' children, as they are now. */
export async function readExecutionHistories(
  sfn: StepFunctions,
  executionArn: string,
  options: Pick<FollowOptions, 'onRefused'> = {},
): Promise<ExecutionHistories> {
  const events = await readHistory(sfn, executionArn);
  const children = new MapRunChildren(sfn, options.onRefused ? { onRefused: options.onRefused } : {});
  children.observe(events);
  await children.drain();
  return { events, children: children.histories() };
}

/** Every history's events in one list by time, each history's own order kept; a tie goes to the first history. */
function interleave(histories: readonly ExecutionHistory[], parentArn: string): SourcedEvent[] {
  const queues = histories.map(({ executionArn, events }) => ({ executionArn, events, at: 0 }));
  const merged: SourcedEvent[] = [];
  for (;;) {
    let earliest: (typeof queues)[number] | undefined;
    for (const queue of queues) {
      const head = queue.events[queue.at];
      const best = earliest?.events[earliest.at];
      if (head && (!best || timeOf(head) < timeOf(best))) earliest = queue;
    }
    const event = earliest?.events[earliest.at];
    if (!earliest || !event) return merged;
    earliest.at += 1;
    merged.push({ executionArn: earliest.executionArn, child: earliest.executionArn !== parentArn, event });
  }
}

function timeOf(event: HistoryEvent): number {
  return event.timestamp?.getTime() ?? 0;
}
