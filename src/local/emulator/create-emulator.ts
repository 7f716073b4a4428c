import { type FleetInput, parseFleet } from '../fleet.ts';
import { closeServer, listenOn } from '../http/answering-server.ts';
import { DEFAULT_CLOUD_RULES } from './cloud-rules.ts';
import { DEFAULT_COPY_COMPLETION_MS } from './copy-operations.ts';
import type { EmulatorCall } from './dispatch.ts';
import { UnknownResourceError } from './errors.ts';
import { FaultInjector, type FaultRule } from './faults.ts';
import { seededRandom } from './random.ts';
import { DEFAULT_RESTORE_TIMINGS, type DeletedVolume, type RestoreTimings } from './restore-state.ts';
import { createEmulatorServer } from './server.ts';
import { FleetState, type SnapshotState, snapshotStatus } from './state.ts';

export const DEFAULT_EMULATOR_HOST = '127.0.0.1';
/** Port 0 lets the system pick a free port. */
export const DEFAULT_EMULATOR_LISTEN_PORT = 0;
export const DEFAULT_EMULATOR_SEED = 1;
/** Snapshots are `completed` as soon as they are made unless a test asks for a pending phase. */
export const DEFAULT_SNAPSHOT_COMPLETION_MS = 0;
/** EC2's own largest page. */
export const DEFAULT_DESCRIBE_SNAPSHOTS_PAGE_LIMIT = 1000;

export interface EmulatorOptions {
  /** Gateways and volumes to serve; validated with `FleetSchema`. */
  fleet: FleetInput;
  /** Clock, in epoch milliseconds, for recovery point ages, snapshot progress and rate limits. @default Date.now */
  now?: () => number;
  /** Seed of fault rates and snapshot ids. @default DEFAULT_EMULATOR_SEED */
  seed?: number;
  /** What a test injects; `setFaults` replaces them. @default [] */
  faults?: readonly FaultRule[];
  /**
   * What AWS always does, in the same rules and never replaced by `setFaults`: EC2's request token buckets and its
   * visibility lag for new snapshots (`DEFAULT_CLOUD_RULES`). A fault rule that sets `rateLimit` or
   * `visibilityLagMs` for a call replaces them for that call; `[]` switches them all off, for tests that count
   * calls exactly or drive the clock by hand. @default DEFAULT_CLOUD_RULES
   */
  cloud?: readonly FaultRule[];
  /** How long a snapshot stays `pending`. @default DEFAULT_SNAPSHOT_COMPLETION_MS */
  snapshotCompletionMs?: number;
  /**
   * The most snapshots one DescribeSnapshots page holds: EC2 may answer fewer than MaxResults, and a
   * small limit makes clients prove they follow `NextToken`. @default DEFAULT_DESCRIBE_SNAPSHOTS_PAGE_LIMIT
   */
  describeSnapshotsPageLimit?: number;
  /** Restore (issue 14): how long restored volumes take to become usable. @default DEFAULT_RESTORE_TIMINGS */
  restoreTimings?: Partial<RestoreTimings>;
  /** Copies (issue 13): how long a snapshot copy stays `pending`. @default DEFAULT_COPY_COMPLETION_MS */
  copyCompletionMs?: number;
}

export interface ListenOptions {
  /** @default DEFAULT_EMULATOR_LISTEN_PORT (any free port) */
  port?: number;
  /** @default DEFAULT_EMULATOR_HOST */
  host?: string;
}

/** A snapshot the emulator made, as tests and the benchmark inspect it. */
export interface EmulatorSnapshot {
  snapshotId: string;
  volumeArn: string;
  gatewayArn: string;
  /** The recovery point time the snapshot holds. */
  recoveryPointTime: string;
  description: string;
  tags: Record<string, string>;
  state: SnapshotState;
  /** ISO time the snapshot was started. */
  startTime: string;
  // Copies (issue 13)
  /** The Region it lives in. */
  region: string;
  /** The account that owns it. */
  ownerId: string;
  /** A copy's source snapshot. */
  copiedFrom?: string;
}

/** A local Storage Gateway + EC2 endpoint over one fleet. */
export interface Emulator {
  /** Starts serving; resolves with the endpoint URL, e.g. `http://127.0.0.1:4599`. */
  listen(options?: ListenOptions): Promise<{ url: string }>;
  /** Stops serving and drops open connections. */
  close(): Promise<void>;
  /** Every request answered since creation or `resetCalls()`, in arrival order. */
  readonly calls: readonly EmulatorCall[];
  resetCalls(): void;
  /** Replaces the fault rules (not the cloud's) and their counters. @throws {InvalidFaultRulesError} */
  setFaults(rules: readonly FaultRule[]): void;
  /** Every snapshot made, in creation order. */
  snapshots(): EmulatorSnapshot[];
  /**
   * Moves a volume's recovery point, to `time` as given or to now.
   * @returns the new `VolumeRecoveryPointTime`
   * @throws {UnknownResourceError}
   */
  advanceRecoveryPoint(volumeArn: string, time?: string): string;
  /** Makes the volume's pending and future snapshots end in `error`. @throws {UnknownResourceError} */
  failSnapshots(volumeArn: string): void;
  /** Restore (issue 14): the restored volumes that exist now, gateway volume ARNs and EBS volume IDs. */
  restoredVolumes(): Array<{ service: 'storagegateway' | 'ec2'; id: string; tags: Record<string, string> }>;
  /** Restore (issue 14): every volume deleted, in order. */
  deletedVolumes(): DeletedVolume[];
  /** Restore (issue 14): fills (or frees) a gateway's cache disk. @throws {UnknownResourceError} */
  setCacheFull(gatewayArn: string, full: boolean): void;
}

/** Builds an emulator; nothing listens until `listen()`. */
export function createEmulator(options: EmulatorOptions): Emulator {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? DEFAULT_EMULATOR_SEED;
  const state = new FleetState(parseFleet(options.fleet), now(), seed);
  const faults = new FaultInjector(options.faults ?? [], seededRandom(seed), now, options.cloud ?? DEFAULT_CLOUD_RULES);
  let calls: EmulatorCall[] = [];
  const context = {
    state,
    now,
    snapshotCompletionMs: options.snapshotCompletionMs ?? DEFAULT_SNAPSHOT_COMPLETION_MS,
    describeSnapshotsPageLimit: options.describeSnapshotsPageLimit ?? DEFAULT_DESCRIBE_SNAPSHOTS_PAGE_LIMIT,
    snapshotVisibilityLagMs: 0,
    restoreTimings: { ...DEFAULT_RESTORE_TIMINGS, ...options.restoreTimings },
    // Copies (issue 13): the caller of a request that names none (see `callerOf`).
    caller: { accountId: state.accountId, region: state.region },
    copyCompletionMs: options.copyCompletionMs ?? DEFAULT_COPY_COMPLETION_MS,
  };
  const server = createEmulatorServer({ context, faults }, (call) => calls.push(call));

  return {
    listen: (listenOptions = {}) =>
      listenOn(server, {
        port: listenOptions.port ?? DEFAULT_EMULATOR_LISTEN_PORT,
        host: listenOptions.host ?? DEFAULT_EMULATOR_HOST,
      }),
    close: () => closeServer(server),
    get calls() {
      return calls;
    },
    resetCalls() {
      calls = [];
    },
    setFaults: (rules) => faults.set(rules),
    snapshots: () =>
      state.snapshots().map((s) => ({
        snapshotId: s.snapshotId,
        volumeArn: s.volume.arn,
        gatewayArn: s.volume.gateway.arn,
        recoveryPointTime: s.recoveryPointTime,
        description: s.description,
        tags: Object.fromEntries(s.tags),
        state: snapshotStatus(s, now()).state,
        startTime: new Date(s.startedAt).toISOString(),
        region: s.region,
        ownerId: s.ownerId,
        ...(s.copiedFrom ? { copiedFrom: s.copiedFrom.snapshotId } : {}),
      })),
    advanceRecoveryPoint(volumeArn, time) {
      const volume = state.requireVolume(volumeArn);
      volume.recoveryPointTime = time ?? new Date(now()).toISOString();
      return volume.recoveryPointTime;
    },
    failSnapshots: (volumeArn) => state.failSnapshots(volumeArn, now()),
    restoredVolumes: () => [
      ...state.restores
        .cachedVolumes()
        .map((v) => ({ service: 'storagegateway' as const, id: v.arn, tags: { ...v.tags } })),
      ...state.restores.ebsVolumes().map((v) => ({ service: 'ec2' as const, id: v.volumeId, tags: { ...v.tags } })),
    ],
    deletedVolumes: () => [...state.restores.deleted],
    setCacheFull(gatewayArn, full) {
      const gateway = state.gateway(gatewayArn);
      if (!gateway) throw new UnknownResourceError(`The fleet has no gateway ${gatewayArn}`);
      gateway.restoreTarget.cacheFull = full;
    },
  };
}
