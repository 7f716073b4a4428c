import type { ExecutionRef, SkipReason } from '../workflow/types.ts';
import { headToKeep, jsonBytes } from './fit.ts';
import { fitGatewayResult, type GatewayResult, type GatewaySnapshot, volumeArnOf } from './gateway-result.ts';

/** A gateway's snapshot entry, named by full ARNs. */
export type ReportSnapshot = Omit<GatewaySnapshot, 'volumeId'> & { gatewayArn: string; volumeArn: string };

export interface ReportSkip {
  gatewayArn: string;
  volumeArn: string;
  recoveryPointTime: string;
  reason: SkipReason;
}

export interface ReportFailure {
  gatewayArn: string;
  /** Absent when the gateway itself failed (its recovery points could not be listed). */
  volumeArn?: string;
  error: string;
  cause: string;
}

/** What a DR runbook needs to create volumes from the snapshots, per gateway. */
export interface ManifestGateway {
  gatewayArn: string;
  volumes: Array<{
    volumeArn: string;
    snapshotId: string;
    recoveryPointTime: string;
    sizeBytes: number;
    state?: string;
  }>;
}

export interface ReportSummary {
  gateways: number;
  recoveryPoints: number;
  selected: number;
  created: number;
  existing: number;
  wouldCreate: number;
  skipped: number;
  failed: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
}

/**
 * The execution's output (or the `Cause` of `SnapshotsFailed`). Every recovery point seen is in exactly
 * one of `snapshots`, `skipped` or `failures`; when a list had to be cut to fit the payload limit, `omitted`
 * counts what was cut and `gateways` keeps the complete, compact account.
 */
export interface ExecutionReport {
  dryRun: boolean;
  execution: ExecutionRef;
  summary: ReportSummary;
  snapshots: ReportSnapshot[];
  skipped: ReportSkip[];
  failures: ReportFailure[];
  manifest: ManifestGateway[];
  omitted?: { snapshots?: number; skipped?: number; failures?: number; manifest?: number; gateways?: number };
  gateways?: GatewayResult[];
}

/** Expands the gateways' compact results into the report, complete and unfitted. */
export function buildReport(
  execution: ExecutionRef,
  dryRun: boolean,
  gateways: readonly GatewayResult[],
): ExecutionReport {
  const summary: ReportSummary = {
    gateways: gateways.length,
    recoveryPoints: 0,
    selected: 0,
    created: 0,
    existing: 0,
    wouldCreate: 0,
    skipped: 0,
    failed: 0,
    skippedByReason: {},
  };
  const report: ExecutionReport = {
    dryRun,
    execution,
    summary,
    snapshots: [],
    skipped: [],
    failures: [],
    manifest: [],
  };
  for (const gateway of gateways) {
    const { gatewayArn, counts } = gateway;
    summary.recoveryPoints += gateway.recoveryPoints;
    summary.selected += counts.selected;
    summary.created += counts.created;
    summary.existing += counts.existing;
    summary.wouldCreate += counts.wouldCreate;
    summary.failed += counts.failed;
    for (const [reason, count] of Object.entries(counts.skipped) as Array<[SkipReason, number]>) {
      summary.skipped += count;
      summary.skippedByReason[reason] = (summary.skippedByReason[reason] ?? 0) + count;
    }
    const made: ManifestGateway = { gatewayArn, volumes: [] };
    for (const { volumeId, ...snapshot } of gateway.snapshots) {
      const volumeArn = volumeArnOf(gatewayArn, volumeId);
      report.snapshots.push({ gatewayArn, volumeArn, ...snapshot });
      if (snapshot.snapshotId) {
        const { snapshotId, recoveryPointTime, sizeBytes, state } = snapshot;
        made.volumes.push({ volumeArn, snapshotId, recoveryPointTime, sizeBytes, ...(state ? { state } : {}) });
      }
    }
    if (made.volumes.length) report.manifest.push(made);
    for (const { volumeId, ...skip } of gateway.skipped) {
      report.skipped.push({ gatewayArn, volumeArn: volumeArnOf(gatewayArn, volumeId), ...skip });
    }
    for (const { error, cause, volumeIds } of gateway.failures) {
      if (!volumeIds.length) report.failures.push({ gatewayArn, error, cause });
      for (const volumeId of volumeIds) {
        report.failures.push({ gatewayArn, volumeArn: volumeArnOf(gatewayArn, volumeId), error, cause });
      }
    }
    if (gateway.omitted) report.gateways = [...gateways];
  }
  return report;
}

// Lists cut, in this order, when the report is over its budget.
const CUT_ORDER = ['skipped', 'manifest', 'snapshots', 'failures'] as const;

/**
 * Cuts the report's detail lists, in `CUT_ORDER`, until its JSON fits `budgetBytes`; whatever is cut
 * stays accounted for in `summary`, in `omitted` and in the compact `gateways`.
 */
export function fitReport(
  report: ExecutionReport,
  gateways: readonly GatewayResult[],
  budgetBytes: number,
): ExecutionReport {
  if (jsonBytes(report) <= budgetBytes) return report;
  let fitted: ExecutionReport = { ...report, gateways: [...gateways] };
  for (const key of CUT_ORDER) {
    const overBy = jsonBytes(fitted) - budgetBytes;
    if (overBy <= 0) break;
    const list: readonly unknown[] = fitted[key];
    const keep = headToKeep(list, overBy + 60);
    fitted = { ...fitted, [key]: list.slice(0, keep), omitted: { ...fitted.omitted, [key]: list.length - keep } };
  }
  if (jsonBytes(fitted) > budgetBytes) {
    // The compact account is too large as it is: share what is left between the gateways, which cut
    // their own detail and causes but keep every failed volume ID. Failing that, keep the summary only.
    const { gateways: _dropped, ...rest } = fitted;
    const summaryOnly: ExecutionReport = { ...rest, omitted: { ...rest.omitted } };
    const share = Math.floor(
      (budgetBytes - jsonBytes(summaryOnly) - 16 - gateways.length) / Math.max(1, gateways.length),
    );
    const compact: ExecutionReport = { ...summaryOnly, gateways: gateways.map((g) => fitGatewayResult(g, share)) };
    fitted =
      share > 0 && jsonBytes(compact) <= budgetBytes ? compact : headOfGateways(summaryOnly, gateways, budgetBytes);
  }
  return fitted;
}

/**
 * The last resort: each gateway cut to its counts and failed volume IDs, and as many of them as fit,
 * the rest counted in `omitted.gateways` (their volumes stay in the summary).
 */
function headOfGateways(
  summaryOnly: ExecutionReport,
  gateways: readonly GatewayResult[],
  budgetBytes: number,
): ExecutionReport {
  const smallest = gateways.map((g) => fitGatewayResult(g, 0));
  const all: ExecutionReport = { ...summaryOnly, gateways: smallest, omitted: { ...summaryOnly.omitted, gateways: 0 } };
  const keep = headToKeep(smallest, jsonBytes(all) - budgetBytes + 16);
  if (keep === 0) return summaryOnly;
  return { ...all, gateways: smallest.slice(0, keep), omitted: { ...all.omitted, gateways: smallest.length - keep } };
}
