import { executionNameProblem } from '../../input/execution-name.ts';
import { PAYLOAD_LIMIT_BYTES } from '../../report/limits.ts';
import type { LocalExecution, LocalExecutionOptions, LocalExecutionResult } from '../runner.ts';
import { SfnApiError, SfnErrorType } from './errors.ts';
import { type HistoryEventRecord, HistoryRecorder, type StateFacts } from './history.ts';

export type ExecutionStatus = 'RUNNING' | LocalExecutionResult['status'];

/** One execution as `DescribeExecution` and `ListExecutions` show it. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** How often `RedriveExecution` ran it again, and when last. */
  redriveCount: number;
  redriveDate?: Date;
  readonly history: readonly HistoryEventRecord[];
}

/**
 * How long a closed execution may be redriven: "executions … that didn't complete successfully in the last 14 days"
 * (`RedriveExecution`, Step Functions API reference; the SDK model's `redriveStatusReason` says
 * "Execution redrivable period exceeded" past it).
 */
export const REDRIVE_PERIOD_MS = 14 * 86_400_000;

/** Starts one local execution; `startLocalExecution` bound to the stack's handlers. */
export type StartLocal = (
  options: Pick<LocalExecutionOptions, 'input' | 'name' | 'onEvent' | 'executionArn'>,
) => LocalExecution;

export interface ExecutionStoreOptions {
  stateMachineArn: string;
  roleArn: string;
  facts: StateFacts;
  start: StartLocal;
  now?: () => Date;
}

interface Entry {
  record: ExecutionRecord;
  recorder: HistoryRecorder;
  local: LocalExecution;
  done: Promise<void>;
  /** The parsed input, for a redrive. */
  input: unknown;
}

/** The executions of the one local state machine, with their histories; STANDARD semantics. */
export class ExecutionStore {
  readonly #options: ExecutionStoreOptions;
  readonly #now: () => Date;
  readonly #entries = new Map<string, Entry>();

  constructor(options: ExecutionStoreOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Starts an execution. Idempotent as on AWS: the same name and input as a *running* execution
   * returns that execution; a closed one, or a different input, is `ExecutionAlreadyExists`.
   * @throws {SfnApiError}
   */
  start(request: { name?: string; input?: string }): ExecutionRecord {
    const inputText = request.input ?? '{}';
    // Step Functions takes at most 256 KiB of input, counted as UTF-8 bytes (the `input` member of
    // StartExecution, shape SensitiveData, max 262144 in the service model).
    const bytes = Buffer.byteLength(inputText, 'utf8');
    if (bytes > PAYLOAD_LIMIT_BYTES) {
      throw new SfnApiError(
        SfnErrorType.InvalidExecutionInput,
        `Invalid State Machine Execution Input: the input is ${bytes} bytes; the limit is ${PAYLOAD_LIMIT_BYTES}`,
      );
    }
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch (error) {
      throw new SfnApiError(
        SfnErrorType.InvalidExecutionInput,
        `Invalid State Machine Execution Input: '${(error as Error).message}'`,
        { cause: error },
      );
    }
    const { name } = request;
    if (name !== undefined) {
      const problem = executionNameProblem(name);
      if (problem) throw new SfnApiError(SfnErrorType.InvalidName, `Invalid Name: '${name}': ${problem}`);
      const existing = [...this.#entries.values()].find((entry) => entry.record.name === name);
      if (existing) {
        if (existing.record.status === 'RUNNING' && existing.record.input === inputText) return existing.record;
        throw new SfnApiError(
          SfnErrorType.ExecutionAlreadyExists,
          `Execution Already Exists: '${existing.record.executionArn}'`,
        );
      }
    }
    const recorder = new HistoryRecorder(this.#options.facts, this.#now);
    const local = this.#options.start({
      input,
      ...(name === undefined ? {} : { name }),
      onEvent: (event) => recorder.record(event),
    });
    const record: ExecutionRecord = {
      executionArn: local.executionArn,
      stateMachineArn: this.#options.stateMachineArn,
      name: local.name,
      status: 'RUNNING',
      startDate: local.startDate,
      input: inputText,
      redriveCount: 0,
      history: recorder.events,
    };
    recorder.started(inputText, this.#options.roleArn, local.startDate);
    const done = local.result.then((result) => this.#close(record, recorder, result));
    this.#entries.set(record.executionArn, { record, recorder, local, done, input });
    return record;
  }

  /**
   * Runs a closed execution that did not succeed again, under its ARN, as `RedriveExecution` does; refused, as on
   * AWS (`ExecutionNotRedrivable`, with the reasons the SDK model lists for `redriveStatusReason`), for a running or
   * succeeded execution and past {@link REDRIVE_PERIOD_MS}. AWS resumes at the states that failed; the local engine
   * cannot resume, so the workflow runs again from the start with the same input, which this workflow makes safe:
   * every recovery point it snapshotted is found and reported as `existing`, never made twice.
   * @returns the redrive date
   * @throws {SfnApiError} `ExecutionDoesNotExist`, `ExecutionNotRedrivable`
   */
  redrive(executionArn: string): Date {
    const entry = this.#entry(executionArn);
    const { record, recorder } = entry;
    if (record.status === 'RUNNING' || record.status === 'SUCCEEDED') {
      throw new SfnApiError(
        SfnErrorType.ExecutionNotRedrivable,
        `Execution is ${record.status} and cannot be redriven: '${executionArn}'`,
      );
    }
    const now = this.#now();
    if (now.getTime() - record.startDate.getTime() > REDRIVE_PERIOD_MS) {
      throw new SfnApiError(
        SfnErrorType.ExecutionNotRedrivable,
        `Execution redrivable period exceeded: '${executionArn}'`,
      );
    }
    record.status = 'RUNNING';
    record.redriveCount += 1;
    record.redriveDate = now;
    delete record.stopDate;
    delete record.output;
    delete record.error;
    delete record.cause;
    recorder.redriven(record.redriveCount, now);
    entry.local = this.#options.start({
      input: entry.input,
      name: record.name,
      executionArn: record.executionArn,
      onEvent: (event) => recorder.record(event),
    });
    entry.done = entry.local.result.then((result) => this.#close(record, recorder, result));
    return now;
  }

  /** @throws {SfnApiError} `ExecutionDoesNotExist` */
  get(executionArn: string): ExecutionRecord {
    return this.#entry(executionArn).record;
  }

  /** Newest first, as `ListExecutions` returns them. */
  list(status?: ExecutionStatus): ExecutionRecord[] {
    return [...this.#entries.values()]
      .map((entry) => entry.record)
      .filter((record) => status === undefined || record.status === status)
      .reverse();
  }

  /**
   * Aborts a running execution at once, as `StopExecution` does; a closed one is left as it is.
   * @throws {SfnApiError} `ExecutionDoesNotExist`
   */
  stop(executionArn: string, reason: { error?: string; cause?: string }): Date {
    const entry = this.#entry(executionArn);
    const { record, recorder } = entry;
    if (record.status === 'RUNNING') {
      record.status = 'ABORTED';
      record.stopDate = this.#now();
      if (reason.error !== undefined) record.error = reason.error;
      if (reason.cause !== undefined) record.cause = reason.cause;
      recorder.ended({ status: 'ABORTED', ...reason });
      entry.local.abort();
    }
    return record.stopDate ?? this.#now();
  }

  /** Aborts every running execution and waits until each has ended. */
  async close(): Promise<void> {
    for (const { record } of this.#entries.values()) {
      if (record.status === 'RUNNING')
        this.stop(record.executionArn, { error: 'States.Aborted', cause: 'The local endpoint was closed' });
    }
    await Promise.all([...this.#entries.values()].map((entry) => entry.done.catch(() => undefined)));
  }

  #entry(executionArn: string): Entry {
    const entry = this.#entries.get(executionArn);
    if (!entry)
      throw new SfnApiError(SfnErrorType.ExecutionDoesNotExist, `Execution Does Not Exist: '${executionArn}'`);
    return entry;
  }

  #close(record: ExecutionRecord, recorder: HistoryRecorder, result: LocalExecutionResult): void {
    if (record.status !== 'RUNNING') return;
    record.stopDate = result.stopDate;
    if (result.status === 'SUCCEEDED') {
      record.output = JSON.stringify(result.output ?? null);
      recorder.ended({ status: 'SUCCEEDED', output: record.output });
    } else {
      if (result.error !== undefined) record.error = result.error;
      if (result.cause !== undefined) record.cause = result.cause;
      recorder.ended({
        status: result.status,
        ...(result.error === undefined ? {} : { error: result.error }),
        ...(result.cause === undefined ? {} : { cause: result.cause }),
      });
    }
    record.status = result.status;
  }
}
