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

export interface RestorePlan {
  options: RestoreOptions;
  execution: ExecutionRef;
  items: RestoreItem[];
  notRestorable: NotRestorable[];
  preflight: { ok: boolean; problems: PreflightProblem[] };
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

export interface RestoreSummariseRequest extends RestorePlan {
  outcomes?: RestoreOutcome[];
  mapFailure?: StatesError;
}
