import { ExecutionInputSchema } from '../src/input/schema.ts';
import type { FaultRule } from '../src/local/emulator/index.ts';

/** A generated fleet: `gateways` cached gateways of `volumesPerGateway` volumes each. */
export interface FleetShape {
  gateways: number;
  volumesPerGateway: number;
}

/** The API latency the fan-out section emulates. */
export interface ApiLatency {
  listMs: number;
  createMs: number;
}

export interface Concurrency {
  gateways: number;
  snapshots: number;
}

export const DEFAULT_API_LATENCY: ApiLatency = { listMs: 50, createMs: 100 };

/** Step Functions Standard workflows: 0.025 USD per 1,000 state transitions. */
export const USD_PER_TRANSITION = 0.025 / 1000;

/** The state machine's own defaults, as an execution input of `{}` gets them. */
export const DEFAULT_CONCURRENCY: Concurrency = ExecutionInputSchema.parse({}).maxConcurrency;

/** How many runs, and of which fleets, each section makes. */
export interface BenchPlan {
  fleets: FleetShape[];
  /** Runs per fleet; the largest fleet gets `largeFleetRuns`. */
  runs: number;
  largeFleetRuns: number;
  /** Fleets above this many volumes count as large. */
  largeFleetVolumes: number;
  /** Warm-up executions before anything is timed, so the JIT does not bias the first fleet. */
  warmUpRuns: number;
  /** Fleets the sequential SDK script runs on; larger ones are modelled, not run (it would take minutes). */
  sequentialMaxVolumes: number;
  /** The fleet the AWS CLI loop runs on. */
  cliFleet: FleetShape;
  cliRuns: number;
  /** The evidence section: successful fleets (timed `runs` times each), and one on which every create fails. */
  evidence: { fleets: Array<{ fleet: FleetShape; runs: number }>; failingFleet: FleetShape };
  coldStartRuns: number;
  /** Retention (issue 12): the fleet whose year of history the first run prunes, and the fleet the EC2-rate figures are for. */
  retention: { fleet: FleetShape; fleetVolumes: number };
  /** Copies (issue 13): the fleet copied to one Region, how long a copy stays pending, the rounds' local Wait. */
  copies: { fleet: FleetShape; copyMs: number; roundWaitMs: number };
}

export const FULL_PLAN: BenchPlan = {
  fleets: [
    { gateways: 1, volumesPerGateway: 10 },
    { gateways: 4, volumesPerGateway: 25 },
    { gateways: 100, volumesPerGateway: 32 },
  ],
  runs: 5,
  largeFleetRuns: 3,
  largeFleetVolumes: 1000,
  warmUpRuns: 3,
  sequentialMaxVolumes: 100,
  cliFleet: { gateways: 1, volumesPerGateway: 10 },
  cliRuns: 3,
  evidence: {
    fleets: [
      { fleet: { gateways: 100, volumesPerGateway: 32 }, runs: 3 },
      { fleet: { gateways: 1000, volumesPerGateway: 32 }, runs: 1 },
    ],
    failingFleet: { gateways: 1000, volumesPerGateway: 32 },
  },
  coldStartRuns: 7,
  retention: { fleet: { gateways: 3, volumesPerGateway: 4 }, fleetVolumes: 3_200 },
  copies: { fleet: { gateways: 100, volumesPerGateway: 32 }, copyMs: 1_000, roundWaitMs: 250 },
};

/** `--smoke`: every section once, on 10 volumes, so a test can keep the script from rotting. */
export const SMOKE_PLAN: BenchPlan = {
  fleets: [{ gateways: 1, volumesPerGateway: 10 }],
  runs: 1,
  largeFleetRuns: 1,
  largeFleetVolumes: 1000,
  warmUpRuns: 0,
  sequentialMaxVolumes: 10,
  cliFleet: { gateways: 1, volumesPerGateway: 3 },
  cliRuns: 1,
  evidence: {
    fleets: [{ fleet: { gateways: 2, volumesPerGateway: 5 }, runs: 1 }],
    failingFleet: { gateways: 2, volumesPerGateway: 5 },
  },
  coldStartRuns: 1,
  retention: { fleet: { gateways: 1, volumesPerGateway: 1 }, fleetVolumes: 3_200 },
  copies: { fleet: { gateways: 2, volumesPerGateway: 15 }, copyMs: 300, roundWaitMs: 50 },
};

export function volumesOf(fleet: FleetShape): number {
  return fleet.gateways * fleet.volumesPerGateway;
}

export function fleetLabel(fleet: FleetShape): string {
  return `${fleet.gateways}×${fleet.volumesPerGateway} (${volumesOf(fleet).toLocaleString('en-US')})`;
}

/** Fault rules that slow the two calls the fan-out is made of, and nothing else. */
export function latencyRules(latency: ApiLatency): FaultRule[] {
  return [
    { operation: 'ListVolumeRecoveryPoints', latencyMs: latency.listMs },
    { operation: 'CreateSnapshotFromVolumeRecoveryPoint', latencyMs: latency.createMs },
  ];
}

/**
 * The time the emulated calls need at the given concurrency, if nothing else took any time: gateways
 * go in waves of `concurrency.gateways`; each gateway lists once, then creates its snapshots in waves
 * of `concurrency.snapshots`.
 */
export function concurrencyBoundMs(fleet: FleetShape, concurrency: Concurrency, latency: ApiLatency): number {
  const perGateway = latency.listMs + Math.ceil(fleet.volumesPerGateway / concurrency.snapshots) * latency.createMs;
  return Math.ceil(fleet.gateways / concurrency.gateways) * perGateway;
}

/** The time the same calls need one after another. */
export function sequentialBoundMs(fleet: FleetShape, latency: ApiLatency): number {
  return fleet.gateways * latency.listMs + volumesOf(fleet) * latency.createMs;
}
