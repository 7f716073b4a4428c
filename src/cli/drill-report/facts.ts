import { type DrillReport, type DrillRow, SnapshotTimeSource } from './model.ts';

// The cells both renderers show, as plain text; each renderer escapes them its own way.

/** The headline: PASSED or FAILED, and the execution's status. */
export function verdict(report: DrillReport): string {
  return `${report.passed ? 'PASSED' : 'FAILED'} (execution ${report.status})`;
}

/** Label → value rows of the report's head. */
export function headFacts(report: DrillReport): Array<[string, string]> {
  const { execution, caller, summary } = report;
  const facts: Array<[string, string]> = [
    ['Started', execution.startDate],
    [
      'Ended',
      execution.stopDate
        ? `${execution.stopDate} (${formatDuration(execution.durationMs ?? 0)} after the start)`
        : 'not yet',
    ],
    ['Run by', `${caller.arn}${caller.account ? ` (account ${caller.account})` : ''}, OS user ${caller.osUser}`],
    ['Execution', execution.arn],
    ['State machine', execution.stateMachineArn],
  ];
  if (report.startToLastSnapshotMs !== undefined)
    facts.push(['Start to last snapshot', formatDuration(report.startToLastSnapshotMs)]);
  if (report.worstRpoMs !== undefined) facts.push(['Worst achieved RPO', formatDuration(report.worstRpoMs)]);
  if (report.rpoTargetMs !== undefined)
    facts.push([
      'RPO target',
      `${formatDuration(report.rpoTargetMs)}: ${report.rpoMissed ? `missed by ${report.rpoMissed} volume(s)` : 'met by every volume with a snapshot'}`,
    ]);
  if (summary) {
    const made = report.dryRun
      ? `${summary.wouldCreate} would be created (dry run)`
      : `${summary.created} created, ${summary.existing} already existed`;
    facts.push([
      'Summary',
      `${summary.gateways} gateways, ${summary.recoveryPoints} recovery points: ${made}, ${summary.skipped} skipped, ${summary.failed} failed`,
    ]);
    facts.push([
      'Volumes in scope',
      `${summary.volumes}, of which ${report.volumesWithoutSnapshot} without a usable snapshot`,
    ]);
  }
  if (report.evidence) facts.push(['Evidence', report.evidence.prefix]);
  facts.push(['Report written', report.generatedAt]);
  return facts;
}

export const VOLUME_HEADER = [
  'Volume',
  'Size',
  'Restore from',
  'Source',
  'Recovery point',
  'Snapshot made',
  'Point age at snapshot',
  'Achieved RPO (data age at start)',
  'RPO target',
  'Final state',
] as const;

/** A gateway table's row, in `VOLUME_HEADER` order. */
export function volumeCells(row: DrillRow): string[] {
  const upperBound = row.snapshotTimeSource === SnapshotTimeSource.ExecutionEnd ? '≤ ' : '';
  return [
    row.volumeId,
    row.sizeBytes === undefined ? '—' : formatBytes(row.sizeBytes),
    row.snapshotId ?? 'NONE',
    row.source ?? '—',
    row.recoveryPointTime ?? '—',
    row.snapshotTime ? `${upperBound}${row.snapshotTime}` : '—',
    row.pointAgeAtSnapshotMs === undefined ? '—' : `${upperBound}${formatDuration(row.pointAgeAtSnapshotMs)}`,
    row.achievedRpoMs === undefined ? '—' : formatDuration(row.achievedRpoMs),
    row.rpoMet === undefined ? '—' : row.rpoMet ? 'met' : 'MISSED',
    row.finalState,
  ];
}

/** `1.5 GiB`, `100 GiB`, `512 B`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

export const SKIP_HEADER = ['Gateway', 'Volume', 'Recovery point', 'Reason'] as const;
export const FAILURE_HEADER = ['Gateway', 'Volume', 'Snapshot', 'Error', 'Cause'] as const;

export function skipCells(skip: DrillReport['skips'][number]): string[] {
  return [skip.gatewayId, skip.volumeId, skip.recoveryPointTime, skip.reason];
}

export function failureCells(failure: DrillReport['failures'][number]): string[] {
  return [
    failure.gatewayId,
    failure.volumeId ?? '(whole gateway)',
    failure.snapshotId ?? '—',
    failure.error,
    failure.cause,
  ];
}

/** `412 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`; negative durations keep their sign. */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Copies (issue 13): the header of the copies table, one column per destination. */
export function copiesHeader(copies: NonNullable<DrillReport['copies']>): string[] {
  return ['Gateway', 'Volume', ...copies.destinations.map((d) => `Copy in ${d}`)];
}

/** Copies (issue 13): a row of the copies table. */
export function copiesCells(row: NonNullable<DrillReport['copies']>['rows'][number]): string[] {
  return [row.gatewayId, row.volumeId, ...row.cells];
}
