import type { ExecutionOptions } from '../input/schema.ts';
import { type RetentionCounts, type RetentionRow, retentionCounts } from '../retention/report.ts';
import type { ExecutionRef, SkipReason } from '../workflow/types.ts';
import { readableCause } from './cause.ts';
import {
  type GatewayCounts,
  type GatewayReport,
  gatewayCounts,
  type ManifestGateway,
  manifestOf,
  type ReportFailure,
  type ReportSkip,
  type ReportSnapshot,
} from './gateway-report.ts';

/** The gateways' counts summed, and how many volumes in scope have something to restore from. */
export interface ReportSummary extends GatewayCounts {
  gateways: number;
  /** Volumes in scope (every volume seen but the `excluded` ones): each has a manifest entry. */
  volumes: number;
  /** Volumes in scope with no usable snapshot to restore from. */
  withoutSnapshot: number;
  /** Retention (issue 12), when it ran: its rows counted by outcome. */
  retention?: RetentionCounts;
  /** Copies (issue 13), when the run makes copies: usable and failed copies, and those retention deleted. */
  copies?: { destinations: number; completed: number; failed: number; deleted?: number };
}

/** Where an execution's evidence is: `s3://` URIs. */
export interface EvidenceLocations {
  prefix: string;
  report: string;
  manifest: string;
  csv: string;
}

/**
 * An execution's whole account, as `report.json` holds it: every recovery point seen is in exactly one of
 * `snapshots`, `skipped` or `failures`, and every volume in scope has a `manifest` entry. Nothing is cut.
 */
export interface ExecutionReport {
  dryRun: boolean;
  execution: ExecutionRef;
  /** The execution's input, with every default applied. */
  options?: ExecutionOptions;
  /** When the report was made: the end of the execution's work. */
  reportedAt?: string;
  summary: ReportSummary;
  snapshots: ReportSnapshot[];
  skipped: ReportSkip[];
  failures: ReportFailure[];
  manifest: ManifestGateway[];
  evidence?: EvidenceLocations;
  /** Retention (issue 12), when it ran: every snapshot of ours it looked at, kept or not, with the rule and reason. */
  retention?: RetentionRow[];
}

/** How many failures the digest names; the rest are counted, and all are in the evidence. */
export const DIGEST_FAILURES = 10;
/** The longest cause the digest keeps for one failure. */
export const DIGEST_CAUSE_LENGTH = 300;
/**
 * The most bytes of JSON the digest takes: failures are left to the evidence until it fits, whatever the names and
 * the causes' characters. Step Functions holds 256 KB in a state and 32,768 characters in a cause; this is far less.
 */
export const DIGEST_BUDGET_BYTES = 7_000;

/**
 * What the execution's output (and the `SnapshotsFailed` cause) carries: the summary, the first failures and where
 * the evidence is. Its size does not grow with the fleet.
 */
export interface ReportDigest {
  dryRun: boolean;
  execution: ExecutionRef;
  summary: ReportSummary;
  failures: ReportFailure[];
  /** Failures beyond the first `DIGEST_FAILURES`: they are in `report.json`. */
  moreFailures: number;
  evidence?: EvidenceLocations;
}

export interface ReportSource {
  execution: ExecutionRef;
  dryRun: boolean;
  options?: ExecutionOptions;
  reportedAt?: string;
  gateways: readonly GatewayReport[];
  /** Gateway ARN → name, where known. */
  gatewayNames?: ReadonlyMap<string, string>;
  evidence?: EvidenceLocations;
}

/** Joins the gateways' accounts into the execution's report, complete. */
export function buildReport(source: ReportSource): ExecutionReport {
  const { execution, dryRun, gateways, gatewayNames, evidence, options, reportedAt } = source;
  const report: ExecutionReport = {
    dryRun,
    execution,
    ...(options ? { options } : {}),
    ...(reportedAt ? { reportedAt } : {}),
    summary: emptySummary(gateways.length),
    snapshots: [],
    skipped: [],
    failures: [],
    manifest: [],
    ...(evidence ? { evidence } : {}),
  };
  const { summary } = report;
  for (const gateway of gateways) {
    const counts = gatewayCounts(gateway);
    summary.recoveryPoints += counts.recoveryPoints;
    summary.selected += counts.selected;
    summary.created += counts.created;
    summary.existing += counts.existing;
    summary.wouldCreate += counts.wouldCreate;
    summary.skipped += counts.skipped;
    summary.failed += counts.failed;
    for (const [reason, count] of Object.entries(counts.skippedByReason) as Array<[SkipReason, number]>) {
      summary.skippedByReason[reason] = (summary.skippedByReason[reason] ?? 0) + count;
    }
    report.snapshots.push(...gateway.snapshots);
    report.skipped.push(...gateway.skipped);
    report.failures.push(...gateway.failures);
    const manifest = manifestOf(gateway, gatewayNames?.get(gateway.gatewayArn));
    summary.volumes += manifest.volumes.length;
    summary.withoutSnapshot += manifest.volumes.filter((v) => v.snapshotId === null).length;
    report.manifest.push(manifest);
  }
  const retention = gateways.flatMap((g) => (g.retention ? [g.retention] : []));
  if (retention.length) {
    summary.retention = retentionCounts(retention);
    report.retention = retention.flatMap((r) => r.rows);
  }
  return report;
}

/**
 * The report's digest, at most `DIGEST_BUDGET_BYTES`: the summary, the first failures with short causes (as many
 * as fit), the evidence locations.
 */
export function digestOf(report: ExecutionReport): ReportDigest {
  const failures = report.failures
    .slice(0, DIGEST_FAILURES)
    .map((failure) => ({ ...failure, cause: readableCause(failure.cause, DIGEST_CAUSE_LENGTH) }));
  const digest = (): ReportDigest => ({
    dryRun: report.dryRun,
    execution: report.execution,
    summary: report.summary,
    failures,
    moreFailures: report.failures.length - failures.length,
    ...(report.evidence ? { evidence: report.evidence } : {}),
  });
  while (failures.length && Buffer.byteLength(JSON.stringify(digest())) > DIGEST_BUDGET_BYTES) failures.pop();
  return digest();
}

function emptySummary(gateways: number): ReportSummary {
  return {
    gateways,
    recoveryPoints: 0,
    selected: 0,
    created: 0,
    existing: 0,
    wouldCreate: 0,
    skipped: 0,
    failed: 0,
    skippedByReason: {},
    volumes: 0,
    withoutSnapshot: 0,
  };
}
