import type { EngineEvent } from './runner.ts';
import { HistoryRecorder, type StateFacts } from './sfn-endpoint/history.ts';

/**
 * A state's input or output, in bytes of UTF-8 JSON, may be at most this: "Maximum input or output size for a task,
 * state, or execution: 256 KiB" (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
 */
export const MAX_PAYLOAD_BYTES = 262_144;
/**
 * "Maximum execution history size: 25,000 events in a single state machine execution history"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). A hard quota.
 */
export const MAX_HISTORY_EVENTS = 25_000;
/**
 * "When the output of a state is larger than payload size quota [or] after Parameters processing, the input of a
 * state is larger": a terminal error that `States.ALL` cannot catch
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';
/**
 * The docs name no error for the history limit, only that `ExecutionFailed` is written as event 25,000
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html); the console shows it as a runtime
 * failure, so it is `States.Runtime` here, which no Catch can catch either.
 */
export const HISTORY_LIMIT_EXCEEDED = 'States.Runtime';

/** Why an execution failed that the engine does not know of. */
export interface LimitFailure {
  error: string;
  cause: string;
}

/**
 * AWS's per-execution limits, kept around the local engine: it counts the events `GetExecutionHistory` would show
 * (the same mapping as the local Step Functions endpoint) and measures payloads. The first limit passed is the
 * execution's failure; `onFail` stops the engine, as AWS ends the execution at once.
 */
export class ExecutionLimits {
  failure: LimitFailure | undefined;
  readonly #recorder: HistoryRecorder;
  readonly #onFail: () => void;

  constructor(facts: StateFacts, onFail: () => void) {
    this.#recorder = new HistoryRecorder(facts);
    this.#recorder.started('', '', new Date());
    this.#onFail = onFail;
  }

  /** History events so far, `ExecutionStarted` included; add one for the closing event (on AWS event 25,000 at most). */
  get eventCount(): number {
    return Math.min(this.#recorder.events.length, MAX_HISTORY_EVENTS - 1);
  }

  /** Counts one of the execution's own engine events (not a Distributed Map child's) and checks its payload. */
  record(event: EngineEvent): void {
    if (this.failure) return;
    if (event.type === 'StateExited')
      this.checkPayload(`the output of state '${event.state.name}'`, event.state.output);
    this.#recorder.record(event);
    // Event 25,000 may only be `ExecutionSucceeded`, and a state's event always comes before it.
    if (this.#recorder.events.length >= MAX_HISTORY_EVENTS) {
      this.fail(
        HISTORY_LIMIT_EXCEEDED,
        `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
      );
    }
  }

  /** Fails the execution with `States.DataLimitExceeded` when `value` as JSON passes 256 KiB. */
  checkPayload(what: string, value: unknown): void {
    const bytes = Buffer.byteLength(JSON.stringify(value ?? null));
    if (bytes > MAX_PAYLOAD_BYTES) {
      this.fail(
        DATA_LIMIT_EXCEEDED,
        `${what} is ${bytes} bytes of JSON, past the ${MAX_PAYLOAD_BYTES} bytes a state's input or output may hold`,
      );
    }
  }

  fail(error: string, cause: string): void {
    if (this.failure) return;
    this.failure = { error, cause };
    this.#onFail();
  }
}
