import type { ExecutionReport } from '../report/execution-report.ts';
import { SKIP_REASONS, type SkipReason } from '../workflow/types.ts';
import { DEFAULT_RPO_TARGET_HOURS } from './config.ts';
import { formatAge, type RpoFigures, rpoOf } from './rpo.ts';

/**
 * The metric names of one execution (their namespace is the stack's). Every name is one series per stack: no
 * dimension names a gateway or a volume, so the bill does not grow with the fleet.
 */
export const EXECUTION_METRICS = {
  /** 1 per execution that reached Summarise. */
  summarised: 'ExecutionsSummarised',
  /** 1 per execution that reached Summarise, was no dry run and failed nothing: the silent-stop alarm's metric. */
  succeeded: 'SuccessfulExecutions',
  created: 'SnapshotsCreated',
  existing: 'SnapshotsExisting',
  /** Recovery points (or whole gateways) that failed. */
  failed: 'Failures',
  /** Snapshots retention deleted (0 without a `retention` policy). */
  deleted: 'SnapshotsDeleted',
  /**
   * Snapshots retention meant to delete but could not: EC2 said in use (an AMI), refused, or the step stopped
   * before their turn. Above zero, the bill keeps what the policy let go: its alarm says so.
   */
  notRemoved: 'SnapshotsNotRemoved',
  volumes: 'VolumesInScope',
  /** Volumes in scope whose newest usable snapshot is older than the RPO target, or that have none. */
  stale: 'StaleVolumes',
  worstRpo: 'WorstRpo',
  medianRpo: 'MedianRpo',
} as const;

/** `too-new` → `SkippedTooNew`: one metric per skip reason, a fixed set. */
export function skippedMetricName(reason: SkipReason): string {
  return `Skipped${reason.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase())}`;
}

/** What one execution's metrics carry, and what `run --local` prints. */
export interface ExecutionFigures {
  dryRun: boolean;
  succeeded: boolean;
  created: number;
  existing: number;
  failed: number;
  deleted: number;
  notRemoved: number;
  /** Every skip reason, those with none at 0. */
  skippedByReason: Record<SkipReason, number>;
  rpo: RpoFigures;
}

/** One metric value; the unit is CloudWatch's. */
export interface MetricValue {
  name: string;
  unit: 'Count' | 'Seconds';
  value: number;
}

/** The figures of an execution's report, its RPO measured at `now` (the time the report was made). */
export function executionFigures(report: ExecutionReport, now: number, rpoTargetHours: number): ExecutionFigures {
  const { summary } = report;
  return {
    dryRun: report.dryRun,
    succeeded: !report.dryRun && summary.failed === 0,
    created: summary.created,
    existing: summary.existing,
    failed: summary.failed,
    deleted: summary.retention?.deleted ?? 0,
    notRemoved:
      (summary.retention?.inUse ?? 0) + (summary.retention?.deleteFailed ?? 0) + (summary.retention?.notDeleted ?? 0),
    skippedByReason: Object.fromEntries(SKIP_REASONS.map((r) => [r, summary.skippedByReason[r] ?? 0])) as Record<
      SkipReason,
      number
    >,
    rpo: rpoOf(report.manifest, now, rpoTargetHours),
  };
}

/** The metric values of an execution, in a fixed order; the RPO ages only when some volume has a snapshot. */
export function metricValues(figures: ExecutionFigures): MetricValue[] {
  const count = (name: string, value: number): MetricValue => ({ name, unit: 'Count', value });
  const seconds = (name: string, value: number | undefined): MetricValue[] =>
    value === undefined ? [] : [{ name, unit: 'Seconds', value }];
  return [
    count(EXECUTION_METRICS.summarised, 1),
    count(EXECUTION_METRICS.succeeded, figures.succeeded ? 1 : 0),
    count(EXECUTION_METRICS.created, figures.created),
    count(EXECUTION_METRICS.existing, figures.existing),
    count(EXECUTION_METRICS.failed, figures.failed),
    count(EXECUTION_METRICS.deleted, figures.deleted),
    count(EXECUTION_METRICS.notRemoved, figures.notRemoved),
    ...SKIP_REASONS.map((reason) => count(skippedMetricName(reason), figures.skippedByReason[reason])),
    count(EXECUTION_METRICS.volumes, figures.rpo.volumes),
    count(EXECUTION_METRICS.stale, figures.rpo.stale.length),
    ...seconds(EXECUTION_METRICS.worstRpo, figures.rpo.worstSeconds),
    ...seconds(EXECUTION_METRICS.medianRpo, figures.rpo.medianSeconds),
  ];
}

/** The figures as one line of text, as `run --local` prints them beside the report. */
export function formatFigures(figures: ExecutionFigures): string {
  const { rpo } = figures;
  const skipped = SKIP_REASONS.filter((r) => figures.skippedByReason[r] > 0)
    .map((r) => `${r} ${figures.skippedByReason[r]}`)
    .join(', ');
  return (
    `Metrics: ${figures.created} created, ${figures.existing} existing, ${figures.failed} failed` +
    `${skipped ? `, skipped ${skipped}` : ''}` +
    `${figures.deleted || figures.notRemoved ? `, ${figures.deleted} deleted, ${figures.notRemoved} not removed` : ''}; ` +
    `RPO worst ${formatAge(rpo.worstSeconds)}, median ${formatAge(rpo.medianSeconds)}; ` +
    `${rpo.stale.length} of ${rpo.volumes} volumes older than ${rpo.targetHours}h` +
    `${figures.succeeded ? '' : figures.dryRun ? ' (dry run: not a successful execution)' : ' (not a successful execution)'}`
  );
}

/**
 * The line `run --local` prints under the report: the figures Summarise's metrics carried, measured as it measured
 * them (at the time the report was made, against the same target). `undefined` for a report without that time.
 */
export function reportFiguresLine(
  report: ExecutionReport,
  rpoTargetHours: number = DEFAULT_RPO_TARGET_HOURS,
): string | undefined {
  if (!report.reportedAt) return undefined;
  return formatFigures(executionFigures(report, Date.parse(report.reportedAt), rpoTargetHours));
}
