import type { EngineEvent } from '../local/runner.ts';
import { readableCause } from '../report/cause.ts';
import {
  type ProgressCountsBase,
  type ProgressFigures,
  stateReaderOf,
  type WorkflowDescriptor,
} from '../workflow/descriptor.ts';

/** A state's step as both the local engine and the Step Functions history report it. */
export interface StepEvent {
  kind: 'exited' | 'failed-over' | 'retried';
  stateName: string;
  output?: unknown;
  /** Of a retry or a caught failure: what the step works on (`vol-… on sgw-…`), when its input tells. */
  subject?: string;
  /** Of a retry or a caught failure: the error's name, and its cause when known. */
  error?: string;
  cause?: string;
}

/** Tallies progress from a workflow's step events, as its descriptor counts them. */
export class ProgressTracker<TCounts extends ProgressCountsBase> {
  readonly counts: TCounts;
  readonly #workflow: Pick<WorkflowDescriptor<TCounts>, 'states' | 'progressLine' | 'progressFigures'>;

  constructor(
    workflow: Pick<WorkflowDescriptor<TCounts>, 'states' | 'initialCounts' | 'progressLine' | 'progressFigures'>,
  ) {
    this.#workflow = workflow;
    this.counts = workflow.initialCounts();
  }

  /** Counts one event; returns whether anything changed. */
  record(event: StepEvent): boolean {
    if (event.kind === 'retried') {
      this.counts.retries += 1;
      return true;
    }
    const reader = stateReaderOf(this.#workflow, event.stateName);
    if (event.kind === 'failed-over') {
      if (!reader?.countFailOver) return false;
      reader.countFailOver(this.counts, event.output);
      return true;
    }
    if (!reader?.countExit) return false;
    reader.countExit(this.counts, event.output);
    return true;
  }

  /** The counts as the workflow tells them, e.g. `gateways 3 · created 11 · … · retries 2` */
  line(): string {
    return this.#workflow.progressLine(this.counts);
  }

  /** Total, done and failed, as a live status shows them. */
  figures(): ProgressFigures {
    return this.#workflow.progressFigures(this.counts);
  }
}

/** How much a told step matters: `problem`s (failures, retries) are told even when the steps are not. */
export type Importance = 'step' | 'problem';

/** The line a step is told with, and how much it matters; the history's narrator does the same for AWS. */
export function tellStep<TCounts extends ProgressCountsBase>(
  workflow: Pick<WorkflowDescriptor<TCounts>, 'states'>,
  step: StepEvent,
): { line: string | undefined; importance: Importance } {
  const reader = stateReaderOf(workflow, step.stateName);
  if (step.kind === 'retried') return { line: retryLine(step), importance: 'problem' };
  if (step.kind === 'failed-over') {
    return { line: reader?.tellFailOver?.(step.output, step.error ?? 'an error'), importance: 'problem' };
  }
  return { line: reader?.tellExit?.(step.output), importance: reader?.failure ? 'problem' : 'step' };
}

/** `retrying CreateSnapshot for vol-1122AABB on sgw-12A3456B after ThrottlingException: Rate exceeded` */
export function retryLine(step: Pick<StepEvent, 'stateName' | 'subject' | 'error' | 'cause'>): string {
  const subject = step.subject ? ` for ${step.subject}` : '';
  const cause = step.cause ? `: ${readableCause(step.cause, 160)}` : '';
  return `retrying ${step.stateName}${subject} after ${step.error ?? 'an error'}${cause}`;
}

/**
 * Turns the local engine's events into steps. A retry's error is the `StateFailed` just before it on the same
 * input, so the reader remembers the last failure of each state and input.
 */
export class EngineStepReader {
  readonly #workflow: Pick<WorkflowDescriptor, 'caughtErrorKeys' | 'subjectOf'>;
  readonly #failures = new Map<string, { error: string; cause: string }>();

  constructor(workflow: Pick<WorkflowDescriptor, 'caughtErrorKeys' | 'subjectOf'>) {
    this.#workflow = workflow;
  }

  read(event: EngineEvent): StepEvent | undefined {
    if (event.type === 'StateFailed') {
      this.#failures.set(keyOf(event.state), { error: event.Error, cause: causeText(event.Cause) });
      return undefined;
    }
    if (event.type === 'StateRetried') {
      const failure = this.#failures.get(keyOf(event.state));
      const subject = this.#workflow.subjectOf(event.state.input);
      return {
        kind: 'retried',
        stateName: event.state.name,
        ...(subject ? { subject } : {}),
        ...(failure ? { error: failure.error, cause: failure.cause } : {}),
      };
    }
    if (event.type !== 'StateExited') return undefined;
    const { name: stateName, type, output } = event.state;
    this.#failures.delete(keyOf(event.state));
    const caughtKey =
      type === 'Task' && typeof output === 'object' && output !== null
        ? this.#workflow.caughtErrorKeys.find((key) => key in output)
        : undefined;
    if (!caughtKey) return { kind: 'exited', stateName, output };
    const caught = (output as Record<string, { Error?: unknown } | undefined>)[caughtKey];
    return { kind: 'failed-over', stateName, output, error: String(caught?.Error ?? 'an error') };
  }
}

function keyOf(state: { name: string; input: unknown }): string {
  return `${state.name}\u0000${JSON.stringify(state.input)}`;
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return typeof cause === 'string' ? cause : JSON.stringify(cause ?? '');
}
