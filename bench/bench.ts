import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fleet } from '../src/local/fleet.ts';
import { loadDefinition } from '../src/statemachine/definition.ts';
import { snapshotWorkflow } from '../src/workflow/snapshot.ts';
import { awsCliVersion, runCliLoop, runSequentialScript } from './baselines.ts';
import { type FunctionColdStart, measureColdStarts } from './cold-start.ts';
import { type Accounting, accountFor, EVERY_CREATE_FAILS } from './evidence.ts';
import { type LargestPayload, type LocalRun, type LocalRunOptions, runLocally, writeFleetFile } from './local-run.ts';
import { loadAverageNow, type MachineFacts, machineFacts } from './machine.ts';
import { measureRetention, type RetentionBench } from './retention.ts';
import { answerS3InMemory } from './s3-in-memory.ts';
import type { S3Figures } from './s3-tally.ts';
import {
  type ApiLatency,
  type BenchPlan,
  type Concurrency,
  concurrencyBoundMs,
  DEFAULT_API_LATENCY,
  DEFAULT_CONCURRENCY,
  type FleetShape,
  latencyRules,
  sequentialBoundMs,
  USD_PER_TRANSITION,
  volumesOf,
} from './scenarios.ts';
import { median, sample } from './stats.ts';

export interface FanOutRow {
  fleet: FleetShape;
  runs: number;
  wallMs: number;
  boundMs: number;
  /** wall / bound; 1 would be the calls alone. */
  ratio: number;
}

export interface OverheadRow {
  fleet: FleetShape;
  runs: number;
  wallMs: number;
  msPerVolume: number;
  /** Beyond the fixed cost of an execution over no gateways at all. */
  marginalMsPerVolume: number;
}

export interface BaselineRow {
  fleet: FleetShape;
  workflowMs: number;
  sequentialMs: number;
  /** The sequential script was not run on this fleet: its time is the sum of its calls' latencies. */
  sequentialModelled: boolean;
  cliMs?: number;
}

export interface CostRow {
  fleet: FleetShape;
  transitionsPerVolume: number;
  invocationsPerVolume: number;
  usdPer1000Volumes: number;
  createsPerVolume: number;
  listsPerGateway: number;
  /** Every emulator call of the run, by operation, per volume. */
  callsPerVolume: Record<string, number>;
}

/** One scenario of the evidence section. */
export interface EvidenceRow {
  fleet: FleetShape;
  scenario: 'all succeed' | 'every create fails';
  status: string;
  /** Timed runs on the S3 server, each paired with one with S3 answered in memory; 0 for the failing scenario. */
  runs: number;
  /** Median wall time of the timed runs on the S3 server. */
  wallMs?: number;
  /** Median wall time of the same runs with S3 answered in memory. */
  inMemoryWallMs?: number;
  /** The S3 calls of one run; `busyMs` and `callMs` are the timed runs' medians. */
  s3: S3Figures;
  /** From a run that JSON-sized every state's input and output. */
  largest?: LargestPayload;
  largestBeyondGatewayArns?: LargestPayload;
  gatewayArnsBytes?: number;
  /** JSON bytes of the execution's output, or of its failure cause. */
  resultBytes: number;
  /** `report.json` against the fleet. */
  report: Accounting;
  /** Failures the digest names, and the ones it leaves to `report.json`. */
  digestFailures: number;
  moreFailures: number;
}

export interface BenchResult {
  smoke: boolean;
  machine: MachineFacts;
  concurrency: Concurrency;
  latency: ApiLatency;
  fixedExecutionMs: number;
  fanOut: FanOutRow[];
  overhead: OverheadRow[];
  baselines: BaselineRow[];
  cost: CostRow[];
  evidence: EvidenceRow[];
  coldStart: FunctionColdStart[];
  coldStartRuns: number;
  /** Retention (issue 12). */
  retention: RetentionBench;
  durationMs: number;
}

export interface BenchOptions {
  plan: BenchPlan;
  smoke: boolean;
  /** Progress lines, e.g. to stderr. */
  progress?: (line: string) => void;
  now?: () => Date;
}

/** Runs every section of the benchmark, one after another, and returns the figures. */
export async function runBench({
  plan,
  smoke,
  progress = () => {},
  now = () => new Date(),
}: BenchOptions): Promise<BenchResult> {
  const began = performance.now();
  const loadAtStart = loadAverageNow();
  const workDir = await mkdtemp(join(tmpdir(), 'sgw-bench-'));
  try {
    const latency = DEFAULT_API_LATENCY;
    const faults = latencyRules(latency);
    const fleets = await Promise.all(plan.fleets.map((shape) => writeFleetFile(workDir, shape)));
    const definition = loadDefinition(snapshotWorkflow.definitionUrl);
    const local = (options: Omit<LocalRunOptions, 'definition'>) => runLocally({ definition, ...options });
    const runsOf = (shape: FleetShape) => (volumesOf(shape) > plan.largeFleetVolumes ? plan.largeFleetRuns : plan.runs);

    if (plan.warmUpRuns && fleets[1]) {
      progress(`warm-up: ${plan.warmUpRuns} runs`);
      const warmFleet = fleets[1].path;
      await sample(plan.warmUpRuns, () => local({ fleetFile: warmFleet }));
    }

    progress('1. fan-out efficiency and 3. sequential script, side by side');
    const fanOut: FanOutRow[] = [];
    const baselines: BaselineRow[] = [];
    for (const { fleet, path } of fleets) {
      const shape = shapeOf(fleet);
      const runSequential = volumesOf(shape) <= plan.sequentialMaxVolumes;
      const pairs = await sample(runsOf(shape), async () => {
        const workflow = await checked(local({ fleetFile: path, faults }), shape);
        const sequential = runSequential ? await runSequentialScript({ fleet, fleetFile: path, faults }) : undefined;
        if (sequential && sequential.snapshotsMade !== volumesOf(shape))
          throw new Error('The sequential script missed volumes');
        return { workflow: workflow.wallMs, sequential: sequential?.wallMs };
      });
      const wallMs = median(pairs.map((p) => p.workflow));
      const boundMs = concurrencyBoundMs(shape, DEFAULT_CONCURRENCY, latency);
      fanOut.push({ fleet: shape, runs: pairs.length, wallMs, boundMs, ratio: wallMs / boundMs });
      baselines.push({
        fleet: shape,
        workflowMs: wallMs,
        sequentialMs: runSequential
          ? median(pairs.map((p) => p.sequential ?? Number.NaN))
          : sequentialBoundMs(shape, latency),
        sequentialModelled: !runSequential,
      });
      progress(`   ${label(shape)}: ${wallMs.toFixed(0)} ms (bound ${boundMs} ms)`);
    }

    const cli = awsCliVersion();
    const small = fleets[0];
    const smallRow = baselines[0];
    if (cli && small && smallRow) {
      progress(`3. AWS CLI loop on ${label(shapeOf(small.fleet))}`);
      const runs = await sample(plan.cliRuns, () => runCliLoop({ fleet: small.fleet, fleetFile: small.path, faults }));
      if (runs.some((r) => r.snapshotsMade !== volumesOf(smallRow.fleet)))
        throw new Error('The AWS CLI loop missed volumes');
      smallRow.cliMs = median(runs.map((r) => r.wallMs));
    }

    progress('2. engine overhead (no latency) and 4. cost');
    const empty = await writeFleetFile(workDir, { gateways: 0, volumesPerGateway: 0 });
    const fixedExecutionMs = median(
      (await sample(plan.runs, () => local({ fleetFile: empty.path }))).map((r) => r.wallMs),
    );
    const overhead: OverheadRow[] = [];
    const cost: CostRow[] = [];
    for (const { fleet, path } of fleets) {
      const shape = shapeOf(fleet);
      const volumes = volumesOf(shape);
      const runs = await sample(runsOf(shape), () => checked(local({ fleetFile: path }), shape));
      const wallMs = median(runs.map((r) => r.wallMs));
      overhead.push({
        fleet: shape,
        runs: runs.length,
        wallMs,
        msPerVolume: wallMs / volumes,
        marginalMsPerVolume: (wallMs - fixedExecutionMs) / volumes,
      });
      cost.push(costOf(shape, runs[runs.length - 1] as LocalRun));
      progress(`   ${label(shape)}: ${wallMs.toFixed(0)} ms, ${(wallMs / volumes).toFixed(2)} ms/volume`);
    }

    progress('5. evidence in S3');
    const evidence: EvidenceRow[] = [];
    for (const { fleet: shape, runs } of plan.evidence.fleets) {
      const { fleet, path } = await writeFleetFile(workDir, shape);
      const pairs = await sample(runs, async () => ({
        server: await checked(local({ fleetFile: path, evidence: true }), shape),
        memory: await checked(local({ fleetFile: path, prepare: (stack) => answerS3InMemory(stack.s3) }), shape),
      }));
      const sized = await checked(local({ fleetFile: path, evidence: true, measurePayloads: true }), shape);
      const last = pairs[pairs.length - 1]?.server ?? sized;
      const s3 = last.s3 as S3Figures;
      const row: EvidenceRow = {
        ...evidenceOf(shape, 'all succeed', sized, fleet),
        runs: pairs.length,
        wallMs: median(pairs.map((p) => p.server.wallMs)),
        inMemoryWallMs: median(pairs.map((p) => p.memory.wallMs)),
        s3: {
          ...s3,
          busyMs: median(pairs.map((p) => p.server.s3?.busyMs ?? Number.NaN)),
          callMs: median(pairs.map((p) => p.server.s3?.callMs ?? Number.NaN)),
        },
      };
      evidence.push(row);
      progress(`   ${label(shape)}: ${evidenceLine(row)}`);
    }
    {
      const shape = plan.evidence.failingFleet;
      const { fleet, path } = await writeFleetFile(workDir, shape);
      const run = await local({ fleetFile: path, faults: EVERY_CREATE_FAILS, evidence: true, measurePayloads: true });
      const row = evidenceOf(shape, 'every create fails', run, fleet);
      evidence.push(row);
      progress(`   ${label(shape)}, every create fails: ${evidenceLine(row)}`);
    }

    progress('6. cold start');
    const coldStart = await measureColdStarts(join(workDir, 'bundles'), plan.coldStartRuns);

    const retention = await measureRetention({ definition, workDir, ...plan.retention, progress });

    return {
      smoke,
      machine: machineFacts(now(), cli, loadAtStart),
      concurrency: DEFAULT_CONCURRENCY,
      latency,
      fixedExecutionMs,
      fanOut,
      overhead,
      baselines,
      cost,
      evidence,
      coldStart,
      coldStartRuns: plan.coldStartRuns,
      retention,
      durationMs: performance.now() - began,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function shapeOf(fleet: { gateways: ReadonlyArray<{ volumes: readonly unknown[] }> }): FleetShape {
  return { gateways: fleet.gateways.length, volumesPerGateway: fleet.gateways[0]?.volumes.length ?? 0 };
}

function label(shape: FleetShape): string {
  return `${shape.gateways}×${shape.volumesPerGateway}`;
}

/** A timing of a run that did not snapshot every volume would flatter the workflow. */
async function checked(pending: Promise<LocalRun>, shape: FleetShape): Promise<LocalRun> {
  const run = await pending;
  if (run.status !== 'SUCCEEDED' || run.snapshotsMade !== volumesOf(shape)) {
    throw new Error(`${label(shape)}: ${run.status} with ${run.snapshotsMade} of ${volumesOf(shape)} snapshots`);
  }
  return run;
}

function costOf(shape: FleetShape, run: LocalRun): CostRow {
  const volumes = volumesOf(shape);
  const transitionsPerVolume = run.transitions / volumes;
  return {
    fleet: shape,
    transitionsPerVolume,
    invocationsPerVolume: run.invocations / volumes,
    usdPer1000Volumes: transitionsPerVolume * 1000 * USD_PER_TRANSITION,
    createsPerVolume: (run.calls.CreateSnapshotFromVolumeRecoveryPoint ?? 0) / volumes,
    listsPerGateway: (run.calls.ListVolumeRecoveryPoints ?? 0) / shape.gateways,
    callsPerVolume: Object.fromEntries(Object.entries(run.calls).map(([operation, n]) => [operation, n / volumes])),
  };
}

function evidenceOf(shape: FleetShape, scenario: EvidenceRow['scenario'], run: LocalRun, fleet: Fleet): EvidenceRow {
  return {
    fleet: shape,
    scenario,
    status: run.status,
    runs: 0,
    s3: run.s3 as S3Figures,
    ...(run.largestPayload ? { largest: run.largestPayload } : {}),
    ...(run.largestBeyondGatewayArns ? { largestBeyondGatewayArns: run.largestBeyondGatewayArns } : {}),
    ...(run.gatewayArnsBytes === undefined ? {} : { gatewayArnsBytes: run.gatewayArnsBytes }),
    resultBytes: run.resultBytes,
    report: accountFor(run.report, fleet),
    digestFailures: run.digest?.failures.length ?? 0,
    moreFailures: run.digest?.moreFailures ?? 0,
  };
}

function evidenceLine(row: EvidenceRow): string {
  const written = Object.values(row.s3.written).reduce((sum, w) => sum + w.bytes, 0);
  const calls = Object.values(row.s3.calls).reduce((sum, n) => sum + n, 0);
  const time =
    row.wallMs === undefined
      ? ''
      : `, ${row.wallMs.toFixed(0)} ms (${row.inMemoryWallMs?.toFixed(0)} ms with S3 in memory)`;
  return `${row.status}, ${calls} S3 calls, ${written} bytes written${time}, result ${row.resultBytes} bytes`;
}
