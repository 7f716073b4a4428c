import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOO_MANY_GATEWAYS } from '../src/errors.ts';
import { PAYLOAD_LIMIT_BYTES } from '../src/report/limits.ts';
import { jsonBytes } from '../src/report/fit.ts';
import { loadDefinition } from '../src/statemachine/definition.ts';
import { snapshotWorkflow } from '../src/workflow/snapshot.ts';
import { awsCliVersion, runCliLoop, runSequentialScript } from './baselines.ts';
import { type FunctionColdStart, measureColdStarts } from './cold-start.ts';
import { type LargestPayload, type LocalRun, type LocalRunOptions, runLocally, writeFleetFile } from './local-run.ts';
import { type MachineFacts, machineFacts } from './machine.ts';
import {
  type Accounting,
  accountFor,
  CAUSE_KINDS,
  type CauseKind,
  EVERY_CREATE_FAILS,
  lengthenErrorMessages,
} from './payload.ts';
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

export interface PayloadRow {
  fleet: FleetShape;
  /** Every volume succeeds, or every volume fails with the given causes. */
  scenario: 'all succeed' | CauseKind;
  status: string;
  largest: LargestPayload | undefined;
  /** The report the summarising Task produced (the execution output when it succeeds). */
  report?: Accounting;
  /** The report inside the execution's failure cause, when it failed. */
  cause?: Accounting;
  /** Mean JSON bytes of one gateway's compact result in the report, when the report carries them. */
  compactBytesPerGateway?: number;
  /** Refused at Plan as too large for one execution: the error, and how many snapshots were made first. */
  refused?: { error: string; snapshotsMade: number };
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
  payload: PayloadRow[];
  coldStart: FunctionColdStart[];
  coldStartRuns: number;
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

    progress('5. payload headroom');
    const payload: PayloadRow[] = [];
    for (const { fleet, path } of fleets) {
      const run = await local({ fleetFile: path, measurePayloads: true });
      payload.push({
        fleet: shapeOf(fleet),
        scenario: 'all succeed',
        status: run.status,
        largest: run.largestPayload,
        report: accountFor(run.report, fleet),
      });
    }
    for (const kind of CAUSE_KINDS) {
      for (const shape of plan.payloadFleets) {
        const { fleet, path } = await writeFleetFile(workDir, shape);
        const run = await local({
          fleetFile: path,
          faults: EVERY_CREATE_FAILS,
          measurePayloads: true,
          prepare: lengthenErrorMessages(kind),
        });
        payload.push({
          fleet: shape,
          scenario: kind,
          status: run.status,
          largest: run.largestPayload,
          report: accountFor(run.report, fleet),
          ...(run.error === TOO_MANY_GATEWAYS
            ? { refused: { error: run.error, snapshotsMade: run.snapshotsMade } }
            : run.cause === undefined
              ? {}
              : { cause: accountFor(parseJson(run.cause), fleet) }),
          ...compactSize(run.report),
        });
        progress(
          `   ${label(shape)}, ${kind}: largest ${run.largestPayload?.bytes ?? 0} of ${PAYLOAD_LIMIT_BYTES} bytes`,
        );
      }
    }

    progress('6. cold start');
    const coldStart = await measureColdStarts(join(workDir, 'bundles'), plan.coldStartRuns);

    return {
      smoke,
      machine: machineFacts(now(), cli),
      concurrency: DEFAULT_CONCURRENCY,
      latency,
      fixedExecutionMs,
      fanOut,
      overhead,
      baselines,
      cost,
      payload,
      coldStart,
      coldStartRuns: plan.coldStartRuns,
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

function compactSize(report: unknown): Pick<PayloadRow, 'compactBytesPerGateway'> {
  const gateways = (report as { gateways?: unknown } | undefined)?.gateways;
  if (!Array.isArray(gateways) || !gateways.length) return {};
  return { compactBytesPerGateway: jsonBytes(gateways) / gateways.length };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
