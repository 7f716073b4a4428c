import type { ExecutionRef, StatesError } from '../workflow/types.ts';
import type { PreflightProblem } from './preflight.ts';
import type { RestoreOptions } from './schema.ts';

/** The payloads that pass between the states of `statemachines/restore.asl.json`. */

export interface RestorePlanRequest {
  input: unknown;
  execution: ExecutionRef;
}

/** One volume to restore: from which snapshot, to what size, under which name and client token. */
export interface RestoreItem {
  sourceVolumeArn: string;
  sourceGatewayArn: string;
  /** The source gateway's name, as the manifest gives it: shown beside its ID in the progress lines. */
  sourceGatewayName?: string;
  snapshotId: string;
  sizeBytes: number;
  recoveryPointTime?: string;
  /** The iSCSI target name on a gateway target. */
  targetName: string;
  clientToken: string;
}

/** A volume of the manifest in scope that cannot be restored: no snapshot, or no size known. */
export interface NotRestorable {
  sourceVolumeArn: string;
  sourceGatewayArn: string;
  sourceGatewayName?: string;
  reason: string;
  /** Named in `volumeArns`: asked for and not restored, a failure; otherwise only reported. */
  requested?: boolean;
}

/**
 * One batch of a restore's volumes: one child execution of the `RestoreVolumes` Distributed Map, which reads its
 * items from the evidence (a state holds at most 256 KiB, an execution's history 25,000 events).
 */
export interface RestoreBatch {
  index: number;
  volumes: number;
  /** The `s3://` URI of its `RestoreItem[]`. */
  itemsUri: string;
}

/** What `PlanRestore` leaves in the state: small and fixed whatever the fleet; the lists are in `planUri`. */
export interface RestorePlan {
  options: RestoreOptions;
  execution: ExecutionRef;
  /** The volumes to restore: every batch's, in all. */
  volumes: number;
  notRestorable: number;
  batches: RestoreBatch[];
  /** Child executions at once. */
  batchConcurrency: number;
  /** Volumes at once within one child: with `batchConcurrency`, never more than `options.maxConcurrency`. */
  volumeConcurrency: number;
  /** `problems`: the first {@link MAX_STATE_PROBLEMS} of them; `problemCount`: how many in all. */
  preflight: { ok: boolean; problems: PreflightProblem[]; problemCount: number };
  /** The `s3://` URI of the whole plan ({@link RestorePlanDocument}). */
  planUri: string;
}

/** The preflight problems the state (and so the live progress) names; the plan's evidence holds them all. */
export const MAX_STATE_PROBLEMS = 20;

/** The whole plan, as the evidence holds it. */
export interface RestorePlanDocument {
  items: RestoreItem[];
  notRestorable: NotRestorable[];
  problems: PreflightProblem[];
}

/** The input of one child execution of `RestoreVolumes`. */
export interface RestoreBatchTask {
  batch: RestoreBatch;
  options: RestoreOptions;
  execution: ExecutionRef;
  volumeConcurrency: number;
}

/** What `RecordRestoreBatch` writes of one batch: its volumes' outcomes, or why its inline Map failed as a whole. */
export interface RestoreBatchRecord {
  batch: RestoreBatch;
  execution: ExecutionRef;
  outcomes?: RestoreOutcome[];
  mapFailure?: StatesError;
}

/** The item of the volume Map. */
export interface RestoreTask {
  item: RestoreItem;
  options: RestoreOptions;
  execution: ExecutionRef;
}

/** What `CreateRestoredVolume` made (or found). */
export interface RestoredVolume {
  /** The gateway volume's ARN, or the EBS volume's ID. */
  volumeId: string;
  status: 'created' | 'existing';
  /** When the create was asked for (or, for a volume found, when the service says it was made). */
  requestedAt: string;
  /** A gateway volume's iSCSI target. */
  targetArn?: string;
}

/** What `CheckRestoredVolume` saw. */
export interface VolumeCheck {
  phase: 'pending' | 'usable';
  /** The service's own status, e.g. `CREATING`, `AVAILABLE`, `available`. */
  status: string;
  checkedAt: string;
  /** With `usable`: the time from the create request to this check. */
  rtoMs?: number;
  sizeBytes?: number;
}

export interface VolumeCleanup {
  deleted: string;
  deletedAt: string;
}

/** One iteration of the volume Map at its end: what it made, saw, deleted, and what failed. */
export interface RestoreOutcome extends RestoreTask {
  created?: RestoredVolume;
  check?: VolumeCheck;
  failure?: StatesError;
  cleanup?: VolumeCleanup;
  cleanupFailure?: StatesError;
}

/** What `SummariseRestore` gets: the plan, and the Distributed Map's failure if it failed as a whole. */
export interface RestoreSummariseRequest extends RestorePlan {
  mapFailure?: StatesError;
}

/** What the report is built from: the whole plan and, once the volumes ran, every volume's outcome. */
export interface RestoreReportSource extends Pick<RestorePlan, 'options' | 'execution'> {
  items: RestoreItem[];
  notRestorable: NotRestorable[];
  preflight: { ok?: boolean; problems: PreflightProblem[] };
  /** Absent when nothing was created (a preflight only, or one that found problems). */
  outcomes?: RestoreOutcome[];
  mapFailure?: StatesError;
}
