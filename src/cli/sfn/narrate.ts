import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { stateReaderOf, type WorkflowDescriptor } from '../../workflow/descriptor.ts';
import { type Importance, retryLine, type StepEvent } from '../progress.ts';

/** What one history event means to a person watching, and to the `ProgressTracker`. */
export interface Narration {
  step?: StepEvent;
  line?: string;
  /** A `problem` (a failure, a retry) is told even when steps are not; a line without a step is a milestone. */
  importance?: Importance;
}

/** What the narrator reads in a workflow's descriptor. */
export type NarratedWorkflow = Pick<WorkflowDescriptor, 'states' | 'mapItemLabel' | 'subjectOf'>;

const FAILED_ATTEMPTS = new Set(['LambdaFunctionFailed', 'LambdaFunctionTimedOut', 'TaskFailed', 'TaskTimedOut']);
// How far back a retry's cause is looked for: Scheduled ← Failed ← Started ← Scheduled ← Entered.
const MAX_CHAIN = 8;

/**
 * Reads an execution history as it arrives: what the workflow's states did (as its descriptor tells
 * them), and which calls were retried (a `LambdaFunctionScheduled` that follows a failure).
 */
export class HistoryNarrator {
  readonly #byId = new Map<number, HistoryEvent>();
  readonly #workflow: NarratedWorkflow;
  readonly #child: boolean;
  #itemInput: unknown;

  /** @param options.child the history is a map run's child execution: one item's, whose start and end are not the run's */
  constructor(workflow: NarratedWorkflow, options: { child?: boolean } = {}) {
    this.#workflow = workflow;
    this.#child = options.child ?? false;
  }

  read(event: HistoryEvent): Narration {
    if (event.id !== undefined) this.#byId.set(event.id, event);
    const exited = event.stateExitedEventDetails;
    if (exited?.name) {
      const output = parse(exited.output);
      const reader = stateReaderOf(this.#workflow, exited.name);
      const previous = this.#previous(event);
      // A Task whose failure was caught exits too: that is not a step that succeeded.
      if (event.type === 'TaskStateExited' && previous && FAILED_ATTEMPTS.has(previous.type ?? '')) {
        const error =
          previous.lambdaFunctionFailedEventDetails?.error ?? previous.taskFailedEventDetails?.error ?? previous.type;
        return {
          step: { kind: 'failed-over', stateName: exited.name, output, error: String(error) },
          line: reader?.tellFailOver?.(output, String(error)),
          importance: 'problem',
        };
      }
      return {
        step: { kind: 'exited', stateName: exited.name, output },
        line: reader?.tellExit?.(output),
        importance: reader?.failure ? 'problem' : 'step',
      };
    }
    if (event.type === 'LambdaFunctionScheduled' || event.type === 'TaskScheduled') {
      const previous = this.#previous(event);
      if (previous && FAILED_ATTEMPTS.has(previous.type ?? '')) {
        const stateName = this.#stateNameOf(event) ?? 'a task';
        const failure = previous.lambdaFunctionFailedEventDetails ?? previous.taskFailedEventDetails;
        const scheduled =
          event.lambdaFunctionScheduledEventDetails?.input ?? event.taskScheduledEventDetails?.parameters;
        const subject = this.#workflow.subjectOf(parse(scheduled));
        const step: StepEvent = {
          kind: 'retried',
          stateName,
          ...(subject ? { subject } : {}),
          error: failure?.error ?? previous.type ?? 'an error',
          ...(failure?.cause ? { cause: failure.cause } : {}),
        };
        return { step, line: retryLine(step), importance: 'problem' };
      }
    }
    if (this.#child) {
      const line = this.#childLine(event);
      return line ? { line, importance: 'problem' } : {};
    }
    return { line: executionLine(event) };
  }

  #childLine(event: HistoryEvent): string | undefined {
    if (event.type === 'ExecutionStarted') this.#itemInput = parse(event.executionStartedEventDetails?.input);
    const ended = CHILD_ENDS[event.type ?? ''];
    return ended && `${this.#workflow.mapItemLabel(this.#itemInput)}: its child execution ${ended(event)}`;
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
}

const EXECUTION_LINES: Record<string, (event: HistoryEvent) => string> = {
  ExecutionStarted: () => 'execution started',
  ExecutionRedriven: (event) =>
    `execution redriven (redrive ${event.executionRedrivenEventDetails?.redriveCount ?? '?'})`,
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
