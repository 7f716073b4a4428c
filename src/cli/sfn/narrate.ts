import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { readableCause } from '../../report/cause.ts';
import { volumeIdOf } from '../../report/gateway-result.ts';
import type { StepEvent } from '../progress.ts';

/** What one history event means to a person watching, and to the `ProgressTracker`. */
export interface Narration {
  step?: StepEvent;
  line?: string;
}

const FAILED_ATTEMPTS = new Set(['LambdaFunctionFailed', 'LambdaFunctionTimedOut', 'TaskFailed', 'TaskTimedOut']);
// How far back a retry's cause is looked for: Scheduled ← Failed ← Started ← Scheduled ← Entered.
const MAX_CHAIN = 8;

/**
 * Reads an execution history as it arrives: which gateways were listed, which snapshots made,
 * skipped or failed, and which calls were retried (a `LambdaFunctionScheduled` that follows a failure).
 * Knows the ASL's state names, as the `ProgressTracker` does.
 */
export class HistoryNarrator {
  readonly #byId = new Map<number, HistoryEvent>();
  readonly #child: boolean;
  #gatewayArn: unknown;

  /** @param options.child the history is a map run's child execution: one gateway's, whose start and end are not the run's */
  constructor(options: { child?: boolean } = {}) {
    this.#child = options.child ?? false;
  }

  read(event: HistoryEvent): Narration {
    if (event.id !== undefined) this.#byId.set(event.id, event);
    const exited = event.stateExitedEventDetails;
    if (exited?.name) {
      const output = parse(exited.output);
      const previous = this.#previous(event);
      // A Task whose failure was caught exits too: that is not a step that succeeded.
      if (event.type === 'TaskStateExited' && previous && FAILED_ATTEMPTS.has(previous.type ?? '')) {
        return {
          step: { kind: 'failed-over', stateName: exited.name, output },
          line: this.#caughtLine(exited.name, output, previous),
        };
      }
      return { step: { kind: 'exited', stateName: exited.name, output }, line: lineOnExit(exited.name, output) };
    }
    if (event.type === 'LambdaFunctionScheduled' || event.type === 'TaskScheduled') {
      const previous = this.#previous(event);
      if (previous && FAILED_ATTEMPTS.has(previous.type ?? '')) {
        const stateName = this.#stateNameOf(event) ?? 'a task';
        const failure = previous.lambdaFunctionFailedEventDetails ?? previous.taskFailedEventDetails;
        return {
          step: { kind: 'retried', stateName },
          line: `retrying ${stateName} after ${failure?.error ?? previous.type}`,
        };
      }
    }
    return { line: this.#child ? this.#childLine(event) : executionLine(event) };
  }

  #childLine(event: HistoryEvent): string | undefined {
    if (event.type === 'ExecutionStarted')
      this.#gatewayArn = field(parse(event.executionStartedEventDetails?.input), 'gatewayArn');
    const ended = CHILD_ENDS[event.type ?? ''];
    return ended && `gateway ${idOf(this.#gatewayArn)}: its child execution ${ended(event)}`;
  }

  #previous(event: HistoryEvent): HistoryEvent | undefined {
    return event.previousEventId === undefined ? undefined : this.#byId.get(event.previousEventId);
  }

  #stateNameOf(event: HistoryEvent): string | undefined {
    let current: HistoryEvent | undefined = event;
    for (let step = 0; current && step < MAX_CHAIN; step += 1) {
      if (current.stateEnteredEventDetails?.name) return current.stateEnteredEventDetails.name;
      current = this.#previous(current);
    }
    return undefined;
  }

  #caughtLine(stateName: string, output: unknown, failed: HistoryEvent): string | undefined {
    if (stateName !== 'ListRecoveryPoints') return undefined;
    const gatewayArn = field(output, 'gatewayArn');
    const error = failed.lambdaFunctionFailedEventDetails?.error ?? failed.taskFailedEventDetails?.error ?? failed.type;
    return `gateway ${idOf(gatewayArn)}: could not list recovery points: ${error}`;
  }
}

function lineOnExit(stateName: string, output: unknown): string | undefined {
  if (stateName === 'ListRecoveryPoints') {
    const listed = field(output, 'listed');
    const selected = field(listed, 'selected');
    const skipped = field(listed, 'skipped');
    const reasons = new Map<string, number>();
    for (const skip of Array.isArray(skipped) ? skipped : []) {
      const reason = String(field(skip, 'reason'));
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    const why = reasons.size ? ` (${[...reasons].map(([reason, n]) => `${reason} ${n}`).join(', ')})` : '';
    return (
      `gateway ${idOf(field(output, 'gatewayArn'))}: ${Number(field(listed, 'recoveryPoints') ?? 0)} recovery points, ` +
      `${Array.isArray(selected) ? selected.length : 0} to snapshot, ${reasons.size ? [...reasons.values()].reduce((a, b) => a + b) : 0} skipped${why}`
    );
  }
  if (stateName === 'CreateSnapshot') {
    const status = field(output, 'status') === 'existing' ? 'already snapshotted' : 'snapshot';
    return `${status} ${String(field(output, 'snapshotId'))} of ${idOf(field(output, 'volumeArn'))} (recovery point ${String(field(output, 'recoveryPointTime'))})`;
  }
  if (stateName === 'VolumeFailed') {
    const failure = field(output, 'failure');
    return `FAILED ${idOf(field(output, 'volumeArn'))}: ${String(field(failure, 'Error'))}: ${readableCause(String(field(failure, 'Cause') ?? ''), 200)}`;
  }
  return undefined;
}

const EXECUTION_LINES: Record<string, (event: HistoryEvent) => string> = {
  ExecutionStarted: () => 'execution started',
  ExecutionSucceeded: () => 'execution SUCCEEDED',
  ExecutionFailed: (event) => `execution FAILED: ${event.executionFailedEventDetails?.error ?? 'no error given'}`,
  ExecutionAborted: () => 'execution ABORTED',
  ExecutionTimedOut: () => 'execution TIMED_OUT',
  MapRunFailed: (event) => `map run FAILED: ${event.mapRunFailedEventDetails?.error ?? 'no error given'}`,
};

// A child that succeeded says nothing its steps have not said.
const CHILD_ENDS: Record<string, (event: HistoryEvent) => string> = {
  ExecutionFailed: (event) => `FAILED: ${event.executionFailedEventDetails?.error ?? 'no error given'}`,
  ExecutionAborted: () => 'was ABORTED',
  ExecutionTimedOut: () => 'TIMED_OUT',
};

function executionLine(event: HistoryEvent): string | undefined {
  return EXECUTION_LINES[event.type ?? '']?.(event);
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function idOf(arn: unknown): string {
  return typeof arn === 'string' ? volumeIdOf(arn) : '?';
}
