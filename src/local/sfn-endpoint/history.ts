import type { EngineEvent } from '../runner.ts';

/** One event of `GetExecutionHistory`, before it is written as JSON. */
export interface HistoryEventRecord {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  /** The `…EventDetails` member the type carries, e.g. `stateEnteredEventDetails`. */
  detailsKey?: string;
  details?: Record<string, unknown>;
}

/** What the recorder needs to know about the definition's states. */
export interface StateFacts {
  /** The Lambda ARN and timeout of a Task state. */
  task(stateName: string): { resource: string; timeoutInSeconds?: number } | undefined;
  /** How many items a Map state iterates, given its input. */
  itemCount(stateName: string, input: unknown): number | undefined;
}

// Step Functions names state events after the state's type: `TaskStateEntered`, `ChoiceStateExited`...
const STATE_EVENT_PREFIX: Record<string, string> = {
  Task: 'TaskState',
  Map: 'MapState',
  Parallel: 'ParallelState',
  Choice: 'ChoiceState',
  Pass: 'PassState',
  Wait: 'WaitState',
  Succeed: 'SucceedState',
  Fail: 'FailState',
};

type StateEvent = Extract<EngineEvent, { state: unknown }>;
type MapIterationEvent = Extract<EngineEvent, { type: `MapIteration${string}` }>;

/**
 * Turns the local engine's event log into a Step Functions execution history: `TaskStateEntered`,
 * `LambdaFunctionScheduled`, `LambdaFunctionFailed`, `MapIterationStarted`... numbered from 1, as
 * `GetExecutionHistory` returns them. A retry shows, as on AWS, as a new `LambdaFunctionScheduled`
 * whose `previousEventId` is the failure. The local engine runs the Distributed Map inline, so its
 * iterations appear in this history rather than in child executions.
 */
export class HistoryRecorder {
  readonly events: HistoryEventRecord[] = [];
  readonly #facts: StateFacts;
  readonly #now: () => Date;
  // Last event id per state and map index: what `previousEventId` points to.
  readonly #lanes = new Map<string, number>();
  // Tasks whose failure was caught: their exit is not a success.
  readonly #caught = new Map<string, number>();
  // Failures awaiting their retry, oldest first: a retry's `previousEventId`. Several iterations of
  // a Map share a lane, so the lane's last event is not necessarily the failure.
  readonly #awaitingRetry = new Map<string, number[]>();

  constructor(facts: StateFacts, now: () => Date = () => new Date()) {
    this.#facts = facts;
    this.#now = now;
  }

  /** `ExecutionStarted`, written when the execution is accepted. */
  started(input: string, roleArn: string, at: Date): void {
    this.#add(
      'ExecutionStarted',
      'executionStartedEventDetails',
      { input, inputDetails: { truncated: false }, roleArn },
      undefined,
      at,
    );
  }

  /** The closing event of an execution. */
  ended(
    end:
      | { status: 'SUCCEEDED'; output: string }
      | { status: 'FAILED' | 'ABORTED' | 'TIMED_OUT'; error?: string; cause?: string },
  ): void {
    if (end.status === 'SUCCEEDED') {
      this.#add('ExecutionSucceeded', 'executionSucceededEventDetails', {
        output: end.output,
        outputDetails: { truncated: false },
      });
      return;
    }
    const type = { FAILED: 'ExecutionFailed', ABORTED: 'ExecutionAborted', TIMED_OUT: 'ExecutionTimedOut' }[end.status];
    this.#add(type, `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`, {
      ...(end.error === undefined ? {} : { error: end.error }),
      ...(end.cause === undefined ? {} : { cause: end.cause }),
    });
  }

  /** `ExecutionRedriven`: a closed execution runs again under its ARN; its history goes on from here. */
  redriven(redriveCount: number, at: Date): void {
    this.#lanes.clear();
    this.#caught.clear();
    this.#awaitingRetry.clear();
    this.#add('ExecutionRedriven', 'executionRedrivenEventDetails', { redriveCount }, undefined, at);
  }

  /** Records one engine event; execution-level events are the store's to write. */
  record(event: EngineEvent): void {
    if ('state' in event) this.#onState[event.type as StateEvent['type']]?.(event as never);
    else if (event.type.startsWith('MapIteration')) this.#mapIteration(event as MapIterationEvent);
  }

  readonly #onState: { [T in StateEvent['type']]?: (event: Extract<StateEvent, { type: T }>) => void } = {
    StateEntered: ({ state, index }) => {
      const lane = laneOf(state.name, index);
      const prefix = STATE_EVENT_PREFIX[state.type] ?? `${state.type}State`;
      this.#add(
        `${prefix}Entered`,
        'stateEnteredEventDetails',
        { name: state.name, input: json(state.input), inputDetails: { truncated: false } },
        lane,
      );
      if (state.type === 'Task') this.#scheduleLambda(state.name, state.input, lane);
      if (state.type === 'Map') {
        const length = this.#facts.itemCount(state.name, state.input);
        this.#add('MapStateStarted', 'mapStateStartedEventDetails', length === undefined ? {} : { length }, lane);
      }
    },
    StateExited: ({ state, index }) => {
      const lane = laneOf(state.name, index);
      const output = json(state.output);
      if (state.type === 'Task' && !this.#takeCaught(lane)) {
        this.#add(
          'LambdaFunctionSucceeded',
          'lambdaFunctionSucceededEventDetails',
          { output, outputDetails: { truncated: false } },
          lane,
        );
      }
      if (state.type === 'Map') this.#add('MapStateSucceeded', undefined, undefined, lane);
      if (state.type === 'Fail') return;
      const prefix = STATE_EVENT_PREFIX[state.type] ?? `${state.type}State`;
      this.#add(
        `${prefix}Exited`,
        'stateExitedEventDetails',
        { name: state.name, output, outputDetails: { truncated: false } },
        lane,
      );
    },
    StateFailed: ({ state, index, Error: error, Cause: cause }) => {
      const lane = laneOf(state.name, index);
      const details = { error, cause: typeof cause === 'string' ? cause : JSON.stringify(cause ?? null) };
      if (state.type === 'Task') {
        const id = this.#add('LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', details, lane);
        this.#awaitingRetry.set(lane, [...(this.#awaitingRetry.get(lane) ?? []), id]);
      }
      if (state.type === 'Map') this.#add('MapStateFailed', undefined, undefined, lane);
    },
    StateRetried: ({ state, index }) => {
      const lane = laneOf(state.name, index);
      if (state.type === 'Task')
        this.#scheduleLambda(state.name, state.input, lane, this.#awaitingRetry.get(lane)?.shift());
    },
    StateCaught: ({ state, index }) => {
      const lane = laneOf(state.name, index);
      // The engine catches right after the failure: that failure is not awaiting a retry.
      this.#awaitingRetry.get(lane)?.pop();
      this.#caught.set(lane, (this.#caught.get(lane) ?? 0) + 1);
    },
  };

  #mapIteration(event: MapIterationEvent): void {
    const suffix = event.type.slice('MapIteration'.length);
    this.#add(event.type, `mapIteration${suffix}EventDetails`, { name: event.parentState.name, index: event.index });
  }

  #scheduleLambda(stateName: string, input: unknown, lane: string, afterFailure?: number): void {
    const task = this.#facts.task(stateName);
    if (!task) return;
    const details = { ...task, input: json(input), inputDetails: { truncated: false } };
    this.#add(
      'LambdaFunctionScheduled',
      'lambdaFunctionScheduledEventDetails',
      details,
      lane,
      this.#now(),
      afterFailure,
    );
    this.#add('LambdaFunctionStarted', undefined, undefined, lane);
  }

  #takeCaught(lane: string): boolean {
    const count = this.#caught.get(lane) ?? 0;
    if (!count) return false;
    this.#caught.set(lane, count - 1);
    return true;
  }

  #add(
    type: string,
    detailsKey?: string,
    details?: Record<string, unknown>,
    lane?: string,
    at = this.#now(),
    previous?: number,
  ): number {
    const id = this.events.length + 1;
    const previousEventId = previous ?? (lane === undefined ? undefined : this.#lanes.get(lane)) ?? this.events.length;
    this.events.push({
      id,
      previousEventId,
      timestamp: at,
      type,
      ...(detailsKey && details ? { detailsKey, details } : {}),
    });
    if (lane !== undefined) this.#lanes.set(lane, id);
    return id;
  }
}

function laneOf(stateName: string, index: number | undefined): string {
  return `${stateName}#${index ?? ''}`;
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}
