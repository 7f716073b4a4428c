import type { EngineEvent } from '../local/runner.ts';
import { type ProgressCountsBase, stateReaderOf, type WorkflowDescriptor } from '../workflow/descriptor.ts';

/** A state's step as both the local engine and the Step Functions history report it. */
export interface StepEvent {
  kind: 'exited' | 'failed-over' | 'retried';
  stateName: string;
  output?: unknown;
}

/** Tallies progress from a workflow's step events, as its descriptor counts them. */
export class ProgressTracker<TCounts extends ProgressCountsBase> {
  readonly counts: TCounts;
  readonly #workflow: Pick<WorkflowDescriptor<TCounts>, 'states' | 'progressLine'>;

  constructor(workflow: Pick<WorkflowDescriptor<TCounts>, 'states' | 'initialCounts' | 'progressLine'>) {
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
}

/** The local engine's events in the terms progress is counted in. */
export function stepEventOf(
  event: EngineEvent,
  workflow: Pick<WorkflowDescriptor, 'caughtErrorKeys'>,
): StepEvent | undefined {
  if (event.type === 'StateExited') {
    const { name: stateName, type, output } = event.state;
    const caught =
      type === 'Task' &&
      typeof output === 'object' &&
      output !== null &&
      workflow.caughtErrorKeys.some((key) => key in output);
    return { kind: caught ? 'failed-over' : 'exited', stateName, output };
  }
  if (event.type === 'StateRetried') return { kind: 'retried', stateName: event.state.name };
  return undefined;
}
