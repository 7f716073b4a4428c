import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { PermissionDeniedError } from '../../errors.ts';
import { isClosingEvent, readEventsAfter } from './history.ts';
import type { StepFunctions } from './step-functions.ts';

/**
 * Most child histories read in one poll while the execution runs, least recently read first: with the
 * parent's history and the listing that keeps a 2 s poll under the 5 a second `GetExecutionHistory`
 * refills, however many gateways run at once.
 */
export const DEFAULT_CHILD_READS_PER_POLL = 4;

const MAP_RUN_ENDS = new Set(['MapRunSucceeded', 'MapRunFailed', 'MapRunAborted']);

/** The events of one execution, oldest first. */
export interface ExecutionHistory {
  executionArn: string;
  events: HistoryEvent[];
}

export interface MapRunChildrenOptions {
  /** @default DEFAULT_CHILD_READS_PER_POLL */
  readsPerPoll?: number;
  /** Told once, when a permission the children need is refused and they are no longer followed. */
  onRefused?: (message: string) => void;
}

interface Child extends ExecutionHistory {
  ended: boolean;
  readAtPoll: number;
}

/**
 * The child executions of the Distributed Map runs an execution starts. On AWS each item (a gateway)
 * runs in one, so the steps of its states are only in the child's history; the local endpoint runs the
 * map inline and starts none. Needs `states:ListExecutions` on the map run
 * (`arn:…:mapRun:<state machine>/Gateways:*`) and `states:GetExecutionHistory` on its children
 * (`arn:…:execution:<state machine>/Gateways:*`); without them the children are left alone, not the command.
 */
export class MapRunChildren {
  readonly #sfn: StepFunctions;
  readonly #readsPerPoll: number;
  readonly #onRefused: ((message: string) => void) | undefined;
  readonly #mapRuns: string[] = [];
  readonly #listedAfterEnd = new Set<string>();
  readonly #children = new Map<string, Child>();
  #mapRunsEnded = 0;
  #polls = 0;
  #refused = false;

  constructor(sfn: StepFunctions, options: MapRunChildrenOptions = {}) {
    this.#sfn = sfn;
    this.#readsPerPoll = options.readsPerPoll ?? DEFAULT_CHILD_READS_PER_POLL;
    this.#onRefused = options.onRefused;
  }

  /** Takes note of the map runs the parent's `events` start and end. */
  observe(events: readonly HistoryEvent[]): void {
    for (const event of events) {
      const mapRunArn = event.mapRunStartedEventDetails?.mapRunArn;
      if (event.type === 'MapRunStarted' && mapRunArn && !this.#mapRuns.includes(mapRunArn))
        this.#mapRuns.push(mapRunArn);
      else if (MAP_RUN_ENDS.has(event.type ?? '')) this.#mapRunsEnded += 1;
    }
  }

  /** While the parent runs: lists the children of the map runs still going, reads what is new in a few. */
  poll(): Promise<ExecutionHistory[]> {
    return this.#read(this.#readsPerPoll, false);
  }

  /** Once the parent has ended, or for a one-off look: lists every map run's children and reads each not yet ended. */
  drain(): Promise<ExecutionHistory[]> {
    return this.#read(Number.POSITIVE_INFINITY, true);
  }

  /** Every child's events read so far, the children in the order they started. */
  histories(): ExecutionHistory[] {
    return [...this.#children.values()].map(({ executionArn, events }) => ({ executionArn, events }));
  }

  /** The new events of the children read, each child's oldest first. */
  async #read(reads: number, last: boolean): Promise<ExecutionHistory[]> {
    const fresh: ExecutionHistory[] = [];
    if (this.#refused || !this.#mapRuns.length) return fresh;
    this.#polls += 1;
    try {
      await this.#list(last);
      const due = [...this.#children.values()]
        .filter((child) => !child.ended)
        .sort((a, b) => a.readAtPoll - b.readAtPoll)
        .slice(0, reads);
      for (const child of due) {
        const events = await readEventsAfter(this.#sfn, child.executionArn, child.events.at(-1)?.id ?? 0);
        child.readAtPoll = this.#polls;
        if (!events.length) continue;
        child.events.push(...events);
        child.ended = events.some(isClosingEvent);
        fresh.push({ executionArn: child.executionArn, events });
      }
    } catch (error) {
      if (!(error instanceof PermissionDeniedError)) throw error;
      this.#refused = true;
      this.#onRefused?.(
        `not following the map run's child executions, where each gateway's steps are: ${error.message}; ` +
          `progress and snapshot times come from this execution's history alone`,
      );
    }
    return fresh;
  }

  async #list(last: boolean): Promise<void> {
    for (const [index, mapRunArn] of this.#mapRuns.entries()) {
      if (this.#listedAfterEnd.has(mapRunArn)) continue;
      // Map runs end in the order they start (the ASL has one Distributed Map): listed once after its
      // end, a map run has shown every child it will have.
      if (last || index < this.#mapRunsEnded) this.#listedAfterEnd.add(mapRunArn);
      const listed = await this.#sfn.listExecutions({ mapRunArn, max: Number.POSITIVE_INFINITY });
      for (const { executionArn } of listed.reverse()) {
        if (!this.#children.has(executionArn))
          this.#children.set(executionArn, { executionArn, events: [], ended: false, readAtPoll: 0 });
      }
    }
  }
}
