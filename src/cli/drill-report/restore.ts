import { readableCause } from '../../report/cause.ts';
import { volumeIdOf } from '../../report/gateway-report.ts';
import { type RestoreReport, restoreFailed } from '../../restore/report.ts';
import type { CliIo } from '../io.ts';
import { drillReportOf } from '../sfn/drill.ts';
import type { SfnCommandDeps, SfnSession } from '../sfn/session.ts';
import type { ExecutionDescription } from '../sfn/step-functions.ts';
import { formatDuration } from './facts.ts';
import { writeDrillReport } from './write.ts';

/** One restored volume as the drill report shows it. */
export interface RestoreDrillRow {
  volumeId: string;
  snapshotId: string;
  restoredVolume?: string;
  state: string;
  rtoMs?: number;
  rtoMet?: boolean;
  /** What the test deleted, or why it could not. */
  cleanup: string;
  failed: boolean;
}

/** The restore section of a drill report: per volume what was restored, how fast, and what was cleaned up. */
export interface RestoreDrillSection {
  target: string;
  test: boolean;
  rtoTargetMinutes?: number;
  slowestRtoMs?: number;
  overRto: number;
  rows: RestoreDrillRow[];
  preflight: string[];
  notRestorable: string[];
  passed: boolean;
}

/**
 * The restore section of a restore's report: the drill passes when every volume was restored (and, in a test,
 * deleted again), the preflight found nothing, and every RTO is within the target.
 */
export function buildRestoreSection(report: RestoreReport, rtoTargetMinutes?: number): RestoreDrillSection {
  const target = rtoTargetMinutes ?? report.rtoTargetMinutes;
  const rows = report.volumes.map((v): RestoreDrillRow => {
    const rtoMet = v.rtoMs === undefined || target === undefined ? undefined : v.rtoMs <= target * 60_000;
    const cleanup = v.cleanup?.deleted
      ? `deleted ${volumeIdOf(v.cleanup.deleted)}`
      : v.cleanup?.failure
        ? `NOT deleted: ${v.cleanup.failure.Error}`
        : report.test && v.restoredVolume
          ? 'NOT deleted'
          : '-';
    return {
      volumeId: volumeIdOf(v.sourceVolumeArn),
      snapshotId: v.snapshotId,
      ...(v.restoredVolume ? { restoredVolume: v.restoredVolume } : {}),
      state: v.failure
        ? `FAILED: ${v.failure.Error}: ${readableCause(v.failure.Cause ?? '', 200)}`
        : `${v.state}${v.status ? ` (${v.status})` : ''}`,
      ...(v.rtoMs === undefined ? {} : { rtoMs: v.rtoMs }),
      ...(rtoMet === undefined ? {} : { rtoMet }),
      cleanup,
      failed: v.state === 'failed' || rtoMet === false || cleanup.startsWith('NOT'),
    };
  });
  const overRto = rows.filter((row) => row.rtoMet === false).length;
  const destination =
    'gateway' in report.target
      ? `gateway ${report.target.gateway.gatewayArn} at ${report.target.gateway.networkInterfaceId}`
      : `EBS in ${report.target.ebs.availabilityZone}`;
  return {
    target: destination,
    test: report.test,
    ...(target === undefined ? {} : { rtoTargetMinutes: target }),
    ...(report.summary.slowestRtoMs === undefined ? {} : { slowestRtoMs: report.summary.slowestRtoMs }),
    overRto,
    rows,
    preflight: report.preflight.map((p) => `${p.check}: ${volumeIdOf(p.subject)}: ${p.message}`),
    notRestorable: report.notRestorable.map((v) => `${volumeIdOf(v.sourceVolumeArn)}: ${v.reason}`),
    passed: !restoreFailed(report) && overRto === 0 && !report.check,
  };
}

export const RESTORE_HEADER = [
  'Volume',
  'Snapshot',
  'Restored volume',
  'State',
  'Achieved RTO',
  'RTO target',
  'Cleaned up',
];

/** The cells of one restored volume, as both renderers show them. */
export function restoreCells(row: RestoreDrillRow, section: RestoreDrillSection): string[] {
  const target =
    section.rtoTargetMinutes === undefined
      ? '-'
      : `${formatDuration(section.rtoTargetMinutes * 60_000)}: ${row.rtoMet === false ? 'MISSED' : row.rtoMet ? 'met' : '-'}`;
  return [
    row.volumeId,
    row.snapshotId,
    row.restoredVolume ? volumeIdOf(row.restoredVolume) : '-',
    row.state,
    row.rtoMs === undefined ? '-' : formatDuration(row.rtoMs),
    target,
    row.cleanup,
  ];
}

/** Label → value rows of the restore section's head. */
export function restoreFacts(section: RestoreDrillSection): Array<[string, string]> {
  const facts: Array<[string, string]> = [
    ['Restored to', section.target],
    ['Kind', section.test ? 'restore test: what it created is deleted afterwards' : 'restore: the volumes stay'],
  ];
  if (section.slowestRtoMs !== undefined) facts.push(['Slowest achieved RTO', formatDuration(section.slowestRtoMs)]);
  if (section.rtoTargetMinutes !== undefined)
    facts.push([
      'RTO target',
      `${formatDuration(section.rtoTargetMinutes * 60_000)}: ${section.overRto ? `missed by ${section.overRto} volume(s)` : 'met by every restored volume'}`,
    ]);
  return facts;
}

/** Writes the drill report of a restore execution to `path` and says so on stderr unless `quiet` (`--json`). */
export async function writeRestoreDrillReport(
  path: string,
  execution: ExecutionDescription,
  report: RestoreReport | undefined,
  rtoTargetMinutes: number | undefined,
  session: SfnSession,
  io: CliIo,
  deps: SfnCommandDeps,
  quiet = false,
): Promise<void> {
  const drill = await drillReportOf(
    execution,
    undefined,
    { local: session.local, ...(report ? { restore: buildRestoreSection(report, rtoTargetMinutes) } : {}) },
    io,
    deps,
  );
  await writeDrillReport(path, drill);
  if (!quiet) io.stderr.write(`drill report written to ${path}: ${drill.passed ? 'PASSED' : 'FAILED'}\n`);
}
