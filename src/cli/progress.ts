import type { SnapshotOutcome } from '../workflow/types.ts';

/** What a run has done so far, as a person watching it wants to know. */
export interface ProgressCounts {
  gatewaysListed: number;
  created: number;
  existing: number;
  failed: number;
  skipped: number;
  retries: number;
}

/** A state's step as both the local engine and the Step Functions history report it. */
export interface StepEvent {
  kind: 'exited' | 'failed-over' | 'retried';
  stateName: string;
  output?: unknown;
}

/** Tallies progress from the workflow's step events; knows the ASL's state names, nothing else. */
export class ProgressTracker {
  readonly counts: ProgressCounts = { gatewaysListed: 0, created: 0, existing: 0, failed: 0, skipped: 0, retries: 0 };

  /** Counts one event; returns whether anything changed. */
  record(event: StepEvent): boolean {
    if (event.kind === 'retried') {
      this.counts.retries += 1;
      return true;
    }
    if (event.kind === 'failed-over') {
      // A gateway whose listing failed for good is one failure; a volume's is counted at VolumeFailed.
      if (event.stateName !== 'ListRecoveryPoints') return false;
      this.counts.failed += 1;
      return true;
    }
    const handle = ON_EXIT[event.stateName];
    if (!handle) return false;
    handle(this.counts, event.output);
    return true;
  }

  /** One line: `gateways 3 · created 11 · existing 0 · skipped 1 · failed 0 · retries 2` */
  line(): string {
    const c = this.counts;
    return `gateways ${c.gatewaysListed} · created ${c.created} · existing ${c.existing} · skipped ${c.skipped} · failed ${c.failed} · retries ${c.retries}`;
  }
}

// The output of `ListRecoveryPoints` lands under `listed` (ResultPath $.listed).
const ON_EXIT: Record<string, (counts: ProgressCounts, output: unknown) => void> = {
  ListRecoveryPoints(counts, output) {
    const listed = (output as { listed?: { skipped?: unknown[]; failures?: unknown[] } } | undefined)?.listed;
    counts.gatewaysListed += 1;
    counts.skipped += listed?.skipped?.length ?? 0;
    counts.failed += listed?.failures?.length ?? 0;
  },
  CreateSnapshot(counts, output) {
    const status = (output as Partial<SnapshotOutcome> | undefined)?.status;
    if (status === 'existing') counts.existing += 1;
    else counts.created += 1;
  },
  VolumeFailed(counts) {
    counts.failed += 1;
  },
};
