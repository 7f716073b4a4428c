import type { ExecutionRef, StatesError } from '../workflow/types.ts';
import type { PreflightProblem } from './preflight.ts';
import type { RestoreTarget } from './schema.ts';
import type { NotRestorable, RestoreItem, RestoreOutcome, RestoreReportSource } from './types.ts';

/** How one volume's restore ended; `planned` when nothing was created (a preflight only, or one that found problems). */
export type RestoreVolumeState = 'restored' | 'failed' | 'planned';

/** One volume of a restore, as the report, the evidence and the drill report tell it. */
export interface RestoreVolumeRow {
  sourceVolumeArn: string;
  sourceGatewayArn: string;
  /** The source gateway's name, as the manifest gives it. */
  sourceGatewayName?: string;
  snapshotId: string;
  sizeBytes: number;
  /** The restored volume: a gateway volume ARN or an EBS volume ID; absent when none was made. */
  restoredVolume?: string;
  targetName?: string;
  state: RestoreVolumeState;
  /** The service's last status of the restored volume. */
  status?: string;
  requestedAt?: string;
  usableAt?: string;
  /** The achieved RTO: from the create request to the check that found the volume usable. */
  rtoMs?: number;
  /** With an RTO target: whether this volume met it. */
  rtoMet?: boolean;
  failure?: StatesError;
  /** In a test: what was deleted afterwards, or why it could not be. */
  cleanup?: { deleted?: string; deletedAt?: string; failure?: StatesError };
}

export interface RestoreSummary {
  volumes: number;
  restored: number;
  failed: number;
  notRestorable: number;
  /** In a test: volumes made and then deleted. */
  cleanedUp: number;
  /** In a test: volumes made and NOT deleted (each is named in its row). */
  leftBehind: number;
  preflightProblems: number;
  /** The slowest achieved RTO, in milliseconds. */
  slowestRtoMs?: number;
  /** With an RTO target: volumes restored slower than it. */
  overRto: number;
}

/** The whole account of one restore, as `report.json` in its evidence holds it. */
export interface RestoreReport {
  kind: 'restore';
  execution: ExecutionRef;
  target: RestoreTarget;
  test: boolean;
  check: boolean;
  rtoTargetMinutes?: number;
  manifestUri?: string;
  summary: RestoreSummary;
  preflight: PreflightProblem[];
  volumes: RestoreVolumeRow[];
  notRestorable: NotRestorable[];
  /** The volume Map's own failure, when it failed as a whole. */
  mapFailure?: StatesError;
  reportedAt: string;
}

/** The digest a restore execution ends with: the summary, and where the whole report is. */
export interface RestoreDigest {
  kind: 'restore';
  execution: ExecutionRef;
  test: boolean;
  check: boolean;
  summary: RestoreSummary;
  /** Every restored volume with its source snapshot, at most {@link MAX_DIGEST_VOLUMES}. */
  volumes: Array<Pick<RestoreVolumeRow, 'sourceVolumeArn' | 'snapshotId' | 'restoredVolume' | 'state' | 'rtoMs'>>;
  preflight: PreflightProblem[];
  evidence?: { report: string };
}

/** The digest names this many volumes; the report holds them all. */
export const MAX_DIGEST_VOLUMES = 100;

/** The report of a restore from its plan and the volume Map's outcomes. Pure: `now` is given. */
export function buildRestoreReport(request: RestoreReportSource, now: number): RestoreReport {
  const { options } = request;
  const volumes = request.outcomes
    ? request.outcomes.map((outcome) => rowOf(outcome, options.rtoTargetMinutes))
    : request.items.map(plannedRow);
  const rtos = volumes.flatMap((v) => (v.rtoMs === undefined ? [] : [v.rtoMs]));
  const made = volumes.filter((v) => v.restoredVolume !== undefined);
  const summary: RestoreSummary = {
    volumes: volumes.length + request.notRestorable.length,
    restored: volumes.filter((v) => v.state === 'restored').length,
    failed: volumes.filter((v) => v.state === 'failed').length,
    notRestorable: request.notRestorable.length,
    cleanedUp: made.filter((v) => v.cleanup?.deleted).length,
    leftBehind: options.test ? made.filter((v) => !v.cleanup?.deleted).length : 0,
    preflightProblems: request.preflight.problems.length,
    ...(rtos.length ? { slowestRtoMs: Math.max(...rtos) } : {}),
    overRto: volumes.filter((v) => v.rtoMet === false).length,
  };
  return {
    kind: 'restore',
    execution: request.execution,
    target: options.target,
    test: options.test,
    check: options.check,
    ...(options.rtoTargetMinutes === undefined ? {} : { rtoTargetMinutes: options.rtoTargetMinutes }),
    ...(options.manifestUri === undefined ? {} : { manifestUri: options.manifestUri }),
    summary,
    preflight: request.preflight.problems,
    volumes,
    notRestorable: request.notRestorable,
    ...(request.mapFailure ? { mapFailure: request.mapFailure } : {}),
    reportedAt: new Date(now).toISOString(),
  };
}

/**
 * Whether the restore failed: a preflight problem, a volume failed, a volume asked for by name that could not be
 * restored, a test that left a volume behind, or the Map itself failed. A volume the manifest holds no snapshot of
 * (the policy skipped it) is reported, not failed. A restore over its RTO target did its job; the drill report tells it.
 */
export function restoreFailed(report: RestoreReport): boolean {
  const { summary } = report;
  return (
    summary.preflightProblems > 0 ||
    summary.failed > 0 ||
    report.notRestorable.some((v) => v.requested) ||
    summary.leftBehind > 0 ||
    report.mapFailure !== undefined
  );
}

/** The digest of a report written to `reportUri`. */
export function restoreDigestOf(report: RestoreReport, reportUri?: string): RestoreDigest {
  return {
    kind: 'restore',
    execution: report.execution,
    test: report.test,
    check: report.check,
    summary: report.summary,
    volumes: report.volumes.slice(0, MAX_DIGEST_VOLUMES).map((v) => ({
      sourceVolumeArn: v.sourceVolumeArn,
      snapshotId: v.snapshotId,
      ...(v.restoredVolume === undefined ? {} : { restoredVolume: v.restoredVolume }),
      state: v.state,
      ...(v.rtoMs === undefined ? {} : { rtoMs: v.rtoMs }),
    })),
    preflight: report.preflight,
    ...(reportUri ? { evidence: { report: reportUri } } : {}),
  };
}

function plannedRow(item: RestoreItem): RestoreVolumeRow {
  const { sourceVolumeArn, sourceGatewayArn, sourceGatewayName, snapshotId, sizeBytes } = item;
  return {
    sourceVolumeArn,
    sourceGatewayArn,
    ...(sourceGatewayName ? { sourceGatewayName } : {}),
    snapshotId,
    sizeBytes,
    state: 'planned',
  };
}

function rowOf(outcome: RestoreOutcome, rtoTargetMinutes: number | undefined): RestoreVolumeRow {
  const { item, created, check, failure } = outcome;
  const usable = !failure && check?.phase === 'usable';
  const rtoMs = usable ? check?.rtoMs : undefined;
  const cleanup =
    outcome.cleanup || outcome.cleanupFailure
      ? {
          ...(outcome.cleanup ? { deleted: outcome.cleanup.deleted, deletedAt: outcome.cleanup.deletedAt } : {}),
          ...(outcome.cleanupFailure ? { failure: outcome.cleanupFailure } : {}),
        }
      : undefined;
  return {
    sourceVolumeArn: item.sourceVolumeArn,
    sourceGatewayArn: item.sourceGatewayArn,
    ...(item.sourceGatewayName ? { sourceGatewayName: item.sourceGatewayName } : {}),
    snapshotId: item.snapshotId,
    sizeBytes: item.sizeBytes,
    ...(created ? { restoredVolume: created.volumeId, requestedAt: created.requestedAt } : {}),
    ...(created && 'gateway' in outcome.options.target ? { targetName: item.targetName } : {}),
    state: usable ? 'restored' : 'failed',
    ...(check ? { status: check.status } : {}),
    ...(usable && check ? { usableAt: check.checkedAt } : {}),
    ...(rtoMs === undefined ? {} : { rtoMs }),
    ...(rtoMs !== undefined && rtoTargetMinutes !== undefined ? { rtoMet: rtoMs <= rtoTargetMinutes * 60_000 } : {}),
    ...(failure ? { failure } : {}),
    ...(cleanup ? { cleanup } : {}),
  };
}
