import type { ExecutionOptions } from '../input/schema.ts';
import type { RetentionProgress } from '../retention/report.ts';

/** The payloads that pass between the states of `statemachines/snapshot-from-recovery-points.asl.json`. */

/** Who is running: from the Context object (`$$.Execution`). */
export interface ExecutionRef {
  id: string;
  name: string;
  startTime: string;
}

/** Why the policy left a recovery point alone. */
export const SKIP_REASONS = [
  'excluded',
  'already-snapshotted',
  'too-new',
  'too-old',
  'unknown-usage',
  'below-min-usage',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** One entry of `ListVolumeRecoveryPoints`, in our names. */
export interface RecoveryPoint {
  volumeArn: string;
  recoveryPointTime: string;
  sizeBytes: number;
  /** Absent for volumes created before 13 May 2015 that have stored nothing since. */
  usageBytes?: number;
}

export type SelectedPoint = Pick<RecoveryPoint, 'volumeArn' | 'recoveryPointTime' | 'sizeBytes'>;

export interface SkippedPoint extends SelectedPoint {
  reason: SkipReason;
  /** With reason `already-snapshotted`: the snapshot of ours that holds this point. */
  snapshotId?: string;
}

export interface PointFailure extends SelectedPoint {
  error: string;
  cause: string;
}

/** A snapshot this tool made, as the evidence keeps it: enough to restore from. */
export interface KnownSnapshot {
  volumeArn: string;
  snapshotId: string;
  recoveryPointTime: string;
  /** EC2's state: pending, completed or error. */
  state: string;
  /** The volume's size, from EC2 (whole GiB). */
  sizeBytes?: number;
  /** When the snapshot was started (EC2's `StartTime`, or when our create call returned). */
  snapshotTime?: string;
}

export interface PlanRequest {
  input: unknown;
  execution: ExecutionRef;
}

export interface PlanResult {
  options: ExecutionOptions;
  execution: ExecutionRef;
  gatewayArns: string[];
}

/** The item of the gateway Map. */
export interface GatewayTask {
  gatewayArn: string;
  options: ExecutionOptions;
  /** The parent execution's: a child's evidence is its parent's. */
  execution: ExecutionRef;
}

export interface ListResult {
  recoveryPoints: number;
  selected: SelectedPoint[];
  skipped: SkippedPoint[];
  failures: PointFailure[];
  /** Per volume in scope, the newest usable snapshot an earlier run made: what to restore from if this run makes none. */
  earlierSnapshots: KnownSnapshot[];
  /** The gateway's name (`DescribeGatewayInformation`), shown beside its ID in the progress lines. */
  gatewayName?: string;
}

/** The item of the snapshot Map. */
export interface CreateTask {
  gatewayArn: string;
  point: SelectedPoint;
  options: ExecutionOptions;
  execution: ExecutionRef;
}

export const SNAPSHOT_STATUSES = ['created', 'existing', 'would-create'] as const;
export type SnapshotStatus = (typeof SNAPSHOT_STATUSES)[number];

export interface SnapshotOutcome {
  volumeArn: string;
  /** The time of the point actually snapshotted: it can be newer than the listed one. */
  recoveryPointTime: string;
  snapshotId: string;
  status: Exclude<SnapshotStatus, 'would-create'>;
  sizeBytes: number;
  /** When the snapshot was made: our create call's return, or EC2's start time of an existing one. */
  snapshotTime?: string;
}

/** A failure as the ASL records it: `{Error, Cause}` of a Catch. */
export interface StatesError {
  Error: string;
  Cause?: string;
}

/** A volume whose snapshot failed for good, as the ASL's `VolumeFailed` state records it. */
export interface VolumeFailure {
  volumeArn: string;
  recoveryPointTime: string;
  /** The Catch's error output, whole: a `Cause` is not always there, and a missing path would fail the Pass state. */
  failure: StatesError;
}

/** What one iteration of the gateway Map has gathered when it reaches `SummariseGateway`. */
export interface GatewayIteration extends GatewayTask {
  listed?: ListResult;
  listFailure?: StatesError;
  outcomes?: Array<SnapshotOutcome | VolumeFailure>;
  /** Retention (issue 12): the cursor of its rounds, or the failure that stopped them. */
  retention?: RetentionProgress;
  retentionFailure?: StatesError;
}
