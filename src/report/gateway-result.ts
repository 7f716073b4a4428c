import type { GatewayIteration, PointFailure, SkipReason, SnapshotOutcome, SnapshotStatus } from '../workflow/types.ts';
import { MAX_CAUSE_LENGTH, readableCause } from './cause.ts';
import { headToKeep, jsonBytes } from './fit.ts';

/** One volume's snapshot, named relative to its gateway to keep large fleets under the payload limit. */
export interface GatewaySnapshot {
  volumeId: string;
  recoveryPointTime: string;
  snapshotId?: string;
  status: SnapshotStatus;
  sizeBytes: number;
  /** EC2 snapshot state, once known: pending, completed, error. */
  state?: string;
  progress?: string;
}

export interface GatewaySkip {
  volumeId: string;
  recoveryPointTime: string;
  reason: SkipReason;
}

/** Failures with the same error and cause, grouped; `volumeIds` is empty when the gateway itself failed. */
export interface GatewayFailure {
  error: string;
  cause: string;
  volumeIds: string[];
}

export interface GatewayCounts {
  selected: number;
  created: number;
  existing: number;
  wouldCreate: number;
  failed: number;
  skipped: Partial<Record<SkipReason, number>>;
}

/**
 * Everything one gateway's iteration found, compact enough for 100 gateways of 32 volumes in one
 * Step Functions payload. The counts are always complete; details beyond the budget are counted in `omitted`.
 */
export interface GatewayResult {
  gatewayArn: string;
  recoveryPoints: number;
  counts: GatewayCounts;
  snapshots: GatewaySnapshot[];
  skipped: GatewaySkip[];
  failures: GatewayFailure[];
  omitted?: { snapshots?: number; skipped?: number };
}

/** `…/gateway/sgw-1/volume/vol-1` → `vol-1` */
export function volumeIdOf(volumeArn: string): string {
  return volumeArn.slice(volumeArn.lastIndexOf('/') + 1);
}

/** `vol-1` of gateway `…/gateway/sgw-1` → `…/gateway/sgw-1/volume/vol-1` */
export function volumeArnOf(gatewayArn: string, volumeId: string): string {
  return `${gatewayArn}/volume/${volumeId}`;
}

/** Folds one gateway's listing and outcomes into its result, fitted to `budgetBytes` of JSON. */
export function summariseGateway(iteration: GatewayIteration, budgetBytes: number): GatewayResult {
  const { gatewayArn, listed, listFailure, outcomes = [], options } = iteration;
  const snapshots: GatewaySnapshot[] = [];
  const pointFailures: PointFailure[] = [...(listed?.failures ?? [])];
  for (const outcome of outcomes) {
    if ('failure' in outcome) {
      const { volumeArn, recoveryPointTime, failure } = outcome;
      pointFailures.push({ volumeArn, recoveryPointTime, error: failure.Error, cause: failure.Cause ?? '' });
    } else {
      snapshots.push(snapshotEntry(outcome));
    }
  }
  if (options.dryRun) {
    for (const { volumeArn, recoveryPointTime, sizeBytes } of listed?.selected ?? []) {
      snapshots.push({ volumeId: volumeIdOf(volumeArn), recoveryPointTime, status: 'would-create', sizeBytes });
    }
  }
  const skipped = (listed?.skipped ?? []).map(({ volumeArn, recoveryPointTime, reason }) => ({
    volumeId: volumeIdOf(volumeArn),
    recoveryPointTime,
    reason,
  }));
  const failures = mergeFailures(
    pointFailures.map((f) => ({ error: f.error, cause: readableCause(f.cause), volumeIds: [volumeIdOf(f.volumeArn)] })),
  );
  if (listFailure) failures.push({ error: listFailure.Error, cause: readableCause(listFailure.Cause), volumeIds: [] });

  const result: GatewayResult = {
    gatewayArn,
    recoveryPoints: listed?.recoveryPoints ?? 0,
    counts: countsOf(snapshots, skipped, failures, listed?.selected.length ?? 0),
    snapshots,
    skipped,
    failures,
  };
  return fitGatewayResult(result, budgetBytes);
}

function snapshotEntry(outcome: SnapshotOutcome): GatewaySnapshot {
  const { volumeArn, recoveryPointTime, snapshotId, status, sizeBytes } = outcome;
  return { volumeId: volumeIdOf(volumeArn), recoveryPointTime, snapshotId, status, sizeBytes };
}

function countsOf(
  snapshots: readonly GatewaySnapshot[],
  skipped: readonly GatewaySkip[],
  failures: readonly GatewayFailure[],
  selected: number,
): GatewayCounts {
  const counts: GatewayCounts = { selected, created: 0, existing: 0, wouldCreate: 0, failed: 0, skipped: {} };
  for (const { status } of snapshots) {
    if (status === 'created') counts.created += 1;
    else if (status === 'existing') counts.existing += 1;
    else counts.wouldCreate += 1;
  }
  for (const { reason } of skipped) counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
  counts.failed = failures.reduce((sum, f) => sum + Math.max(1, f.volumeIds.length), 0);
  return counts;
}

// Shorter and shorter causes, tried in turn when a result is over its budget.
const CAUSE_LENGTHS = [MAX_CAUSE_LENGTH, 200, 60, 0];

/**
 * Drops detail until the result fits: skip details first, then snapshot details, then cause text.
 * Counts and the volume IDs of every failure are never dropped.
 */
export function fitGatewayResult(result: GatewayResult, budgetBytes: number): GatewayResult {
  let fitted = result;
  for (const length of CAUSE_LENGTHS) {
    const failures = result.failures.map((f) => ({ ...f, cause: readableCause(f.cause, length) }));
    fitted = { ...fitted, failures: mergeFailures(failures) };
    fitted = truncateList(fitted, 'skipped', budgetBytes);
    fitted = truncateList(fitted, 'snapshots', budgetBytes);
    if (jsonBytes(fitted) <= budgetBytes) break;
  }
  return fitted;
}

/**
 * Joins the failures with the same error and cause into one group of volume IDs; applied again once
 * causes were shortened, many volumes failing with distinct long causes still fit as one group.
 */
function mergeFailures(failures: readonly GatewayFailure[]): GatewayFailure[] {
  const groups = new Map<string, GatewayFailure>();
  for (const failure of failures) {
    // A gateway's own failure (no volume IDs) stays apart: it is counted as one failure of its own.
    const key = `${failure.volumeIds.length ? 'volumes' : 'gateway'}\n${failure.error}\n${failure.cause}`;
    const group = groups.get(key);
    if (group) group.volumeIds.push(...failure.volumeIds);
    else groups.set(key, { ...failure, volumeIds: [...failure.volumeIds] });
  }
  return [...groups.values()];
}

/** Keeps the longest head of `result[key]` that fits the budget, counting the rest in `omitted`. */
function truncateList(result: GatewayResult, key: 'skipped' | 'snapshots', budgetBytes: number): GatewayResult {
  const overBy = jsonBytes(result) - budgetBytes;
  if (overBy <= 0) return result;
  const list: readonly unknown[] = result[key];
  // The extra bytes leave room for the `omitted` counter this adds.
  const keep = headToKeep(list, overBy + 40);
  const dropped = list.length - keep + (result.omitted?.[key] ?? 0);
  return { ...result, [key]: list.slice(0, keep), omitted: { ...result.omitted, [key]: dropped } };
}
