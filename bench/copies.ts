import { CONCURRENT_COPIES_PER_DESTINATION_REGION, RESOURCE_LIMIT_EXCEEDED } from '../src/copies/limits.ts';
import { type EngineEvent, startLocalExecution } from '../src/local/runner.ts';
import type { AslDefinition } from '../src/statemachine/definition.ts';
import { SnapshotState } from '../src/workflow/snapshot.ts';
import { writeFleetFile } from './local-run.ts';
import { type FleetShape, fleetLabel, volumesOf } from './scenarios.ts';
import { startBenchStack } from './stack.ts';

/** What one run with copies to one Region did: how fast the copies went through EC2's concurrent-copy limit. */
export interface CopiesBench {
  fleet: FleetShape;
  /** How long the emulator keeps a copy pending, and how long the copy rounds' Wait lasts locally. */
  copyMs: number;
  roundWaitMs: number;
  status: string;
  completed: number;
  failed: number;
  /** From `PlanCopies` entered to the copy loops' Map left. */
  copyPhaseMs: number;
  copiesPerMinute: number;
  /** What the limit allows at most: 20 copies every `copyMs`. */
  ceilingPerMinute: number;
  rounds: number;
  historyEvents: number;
  copyCalls: number;
  /** CopySnapshot calls EC2 refused at the limit; the rounds never start more than it leaves free. */
  refusedAtLimit: number;
  /** The most copies in flight at once, from the emulator's own record. */
  maxInFlight: number;
}

export interface MeasureCopiesOptions {
  definition: AslDefinition;
  workDir: string;
  fleet: FleetShape;
  copyMs: number;
  roundWaitMs: number;
  progress?: (line: string) => void;
}

/**
 * One execution over `fleet` with copies to one Region, on the local stack: the real ASL and handlers, the emulator's
 * limit of 20 copies in flight per destination Region. CopySnapshot's request bucket (5 a second) is lifted for the
 * run: with copies of a second it, not the limit, would bind; with AWS's copies of minutes the limit binds.
 */
export async function measureCopies(options: MeasureCopiesOptions): Promise<CopiesBench> {
  const { path } = await writeFleetFile(options.workDir, options.fleet);
  const stack = await startBenchStack({
    fleetPath: path,
    copyCompletionMs: options.copyMs,
    faults: [{ operation: 'CopySnapshot', rateLimit: { burst: 10_000, perSecond: 10_000 } }],
  });
  try {
    let planned = 0;
    let copied = 0;
    let rounds = 0;
    const onEvent = (event: EngineEvent) => {
      if (event.type === 'StateEntered' && event.state.name === SnapshotState.PlanCopies) planned = performance.now();
      if (event.type === 'StateEntered' && event.state.name === SnapshotState.CopyRound) rounds += 1;
      if (event.type === 'StateExited' && event.state.name === SnapshotState.CopyDestinations)
        copied = performance.now();
    };
    options.progress?.(`copies: ${fleetLabel(options.fleet)} to one Region, ${options.copyMs} ms a copy`);
    const result = await startLocalExecution({
      workflow: stack.workflow,
      handlers: stack.handlers,
      definition: options.definition,
      input: { copies: [{ region: 'eu-west-1' }] },
      compressedWaitMs: options.roundWaitMs,
      onEvent,
    }).result;
    const copies = (stack.emulator?.snapshots() ?? []).filter((s) => s.copiedFrom);
    const starts = copies.map((c) => Date.parse(c.startTime)).sort((a, b) => a - b);
    const inFlightAt = (t: number) => starts.filter((s) => s <= t && t < s + options.copyMs).length;
    const copyCalls = (stack.emulator?.calls ?? []).filter((c) => c.operation === 'CopySnapshot');
    const copyPhaseMs = copied - planned;
    const completed = copies.filter((c) => c.state === 'completed').length;
    return {
      fleet: options.fleet,
      copyMs: options.copyMs,
      roundWaitMs: options.roundWaitMs,
      status: result.status,
      completed,
      failed: volumesOf(options.fleet) - completed,
      copyPhaseMs,
      copiesPerMinute: (completed / copyPhaseMs) * 60_000,
      ceilingPerMinute: (CONCURRENT_COPIES_PER_DESTINATION_REGION / options.copyMs) * 60_000,
      rounds,
      historyEvents: result.historyEventCount,
      copyCalls: copyCalls.length,
      refusedAtLimit: copyCalls.filter((c) => c.error === RESOURCE_LIMIT_EXCEEDED).length,
      maxInFlight: Math.max(0, ...starts.map(inFlightAt)),
    };
  } finally {
    await stack.close();
  }
}

/** The section of RESULTS.md. */
export function copiesSection(b: CopiesBench): string {
  const minutes = (ms: number) => (ms / 60_000).toFixed(1);
  return `## 9. Copies at the concurrent-copy limit

One execution over ${fleetLabel(b.fleet)} volumes with \`copies: [{ region: 'eu-west-1' }]\` on the local stack (the
real ASL and handlers, \`bench/copies.ts\`): the emulator holds EC2's limit of ${CONCURRENT_COPIES_PER_DESTINATION_REGION} copies in flight per
destination Region, each copy pending ${b.copyMs} ms (AWS takes minutes), the copy rounds' Wait ${b.roundWaitMs} ms locally.
CopySnapshot's request bucket is lifted for the run, so that the limit, not the request rate, binds. Each round reads
and rewrites the destination's book of 3,200 items in the local S3 server: that round time, not the limit, keeps the
rate under the ceiling here; on AWS rounds are a minute apart and copies take minutes, and the limit binds.

| | |
|---|---|
| Execution | ${b.status} |
| Copies completed / failed | ${b.completed.toLocaleString('en-US')} / ${b.failed} |
| Copy phase (PlanCopies to the end of the copy loops) | ${(b.copyPhaseMs / 1000).toFixed(1)} s (${minutes(b.copyPhaseMs)} min) |
| **Copies per minute** | **${Math.round(b.copiesPerMinute).toLocaleString('en-US')}** |
| Ceiling of the limit (${CONCURRENT_COPIES_PER_DESTINATION_REGION} per ${b.copyMs} ms) | ${Math.round(b.ceilingPerMinute).toLocaleString('en-US')} per minute (${Math.round((b.copiesPerMinute / b.ceilingPerMinute) * 100)} % reached) |
| Most copies in flight at once | ${b.maxInFlight} |
| CopySnapshot calls / refused ResourceLimitExceeded | ${b.copyCalls.toLocaleString('en-US')} / ${b.refusedAtLimit} |
| Copy rounds / history events of the execution | ${b.rounds} / ${b.historyEvents.toLocaleString('en-US')} |

On AWS the rate is the limit over the copy time: ${CONCURRENT_COPIES_PER_DESTINATION_REGION} copies per destination Region at once, so copies of 10 minutes each
move 2 volumes a minute per destination, and 3,200 volumes take about ${((Math.ceil(3_200 / CONCURRENT_COPIES_PER_DESTINATION_REGION) * 10) / 60).toFixed(0)} hours: the
copies' time-out (\`copyTimeoutMinutes\`) and the rounds' interval (\`copyCheckIntervalSeconds\`) must be set for it,
within the history's 2,000 rounds and polls (60 s rounds: up to 33 hours).
`;
}
