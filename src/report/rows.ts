import type { ExecutionReport } from './execution-report.ts';
import { gatewayArnOfVolume, type ManifestVolume, volumeIdOf } from './gateway-report.ts';

/** The columns of `report.csv`: one row per recovery point seen, and one per gateway that failed as a whole. */
export const REPORT_COLUMNS = [
  'gateway_name',
  'gateway_arn',
  'volume_id',
  'volume_arn',
  'size_bytes',
  'recovery_point_time',
  'outcome',
  'reason_or_error',
  'snapshot_id',
  'snapshot_state',
  'snapshot_time',
  'restore_from_snapshot_id',
  'restore_from_source',
  'cause',
] as const;

type Row = Record<(typeof REPORT_COLUMNS)[number], string>;

/** The report as rows for a spreadsheet or a ticket, in `REPORT_COLUMNS` order, gateway by gateway. */
export function reportRows(report: ExecutionReport): string[][] {
  const names = new Map(report.manifest.map((g) => [g.gatewayArn, g.gatewayName ?? '']));
  const restoreFrom = new Map<string, ManifestVolume>(
    report.manifest.flatMap((g) => g.volumes.map((v) => [v.volumeArn, v] as const)),
  );
  const row = (gatewayArn: string, volumeArn: string | undefined, fields: Partial<Row>): Row => {
    const restore = volumeArn ? restoreFrom.get(volumeArn) : undefined;
    return {
      gateway_name: names.get(gatewayArn) ?? '',
      gateway_arn: gatewayArn,
      volume_id: volumeArn ? volumeIdOf(volumeArn) : '',
      volume_arn: volumeArn ?? '',
      size_bytes: '',
      recovery_point_time: '',
      outcome: '',
      reason_or_error: '',
      snapshot_id: '',
      snapshot_state: '',
      snapshot_time: '',
      restore_from_snapshot_id: restore?.snapshotId ?? '',
      restore_from_source: restore?.source ?? '',
      cause: '',
      ...fields,
    };
  };
  const rows: Row[] = [
    ...report.snapshots.map((s) =>
      row(s.gatewayArn, s.volumeArn, {
        size_bytes: String(s.sizeBytes),
        recovery_point_time: s.recoveryPointTime,
        outcome: s.status,
        snapshot_id: s.snapshotId ?? '',
        snapshot_state: s.state ?? '',
        snapshot_time: s.snapshotTime ?? '',
      }),
    ),
    ...report.skipped.map((s) =>
      row(s.gatewayArn, s.volumeArn, {
        size_bytes: String(s.sizeBytes),
        recovery_point_time: s.recoveryPointTime,
        outcome: 'skipped',
        reason_or_error: s.reason,
        snapshot_id: s.snapshotId ?? '',
      }),
    ),
    // Retention (issue 12): every snapshot it deleted, would delete, or could not; the kept ones are in report.json.
    ...(report.retention ?? [])
      .filter((r) => r.outcome !== 'kept')
      .map((r) =>
        row(r.gatewayArn, r.volumeArn, {
          recovery_point_time: r.recoveryPointTime,
          outcome: r.outcome,
          reason_or_error: r.error ? `${r.reason}: ${r.error}` : r.reason,
          snapshot_id: r.snapshotId,
          cause: r.cause ?? '',
        }),
      ),
    ...report.failures.map((f) =>
      row(f.gatewayArn, f.volumeArn, {
        size_bytes: f.sizeBytes === undefined ? '' : String(f.sizeBytes),
        recovery_point_time: f.recoveryPointTime ?? '',
        outcome: 'failed',
        reason_or_error: f.error,
        snapshot_id: f.snapshotId ?? '',
        snapshot_state: f.state ?? '',
        cause: f.cause,
      }),
    ),
  ];
  const gatewayOrder = new Map(report.manifest.map((g, i) => [g.gatewayArn, i]));
  const order = (r: Row) => gatewayOrder.get(r.gateway_arn || gatewayArnOfVolume(r.volume_arn)) ?? 0;
  rows.sort((a, b) => order(a) - order(b) || a.volume_arn.localeCompare(b.volume_arn));
  return rows.map((r) => REPORT_COLUMNS.map((column) => r[column]));
}
