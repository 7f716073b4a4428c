import { planGateway } from '../../../src/policy/plan-gateway.ts';
import {
  buildReport,
  DIGEST_CAUSE_LENGTH,
  DIGEST_FAILURES,
  digestOf,
  type ExecutionReport,
} from '../../../src/report/execution-report.ts';
import { type GatewayReport, gatewayReportOf } from '../../../src/report/gateway-report.ts';
import { REPORT_COLUMNS, reportRows } from '../../../src/report/rows.ts';
import type { RecoveryPoint, SnapshotOutcome, VolumeFailure } from '../../../src/workflow/types.ts';
import {
  agoIso,
  EXECUTION,
  GATEWAY_ARN,
  HOUR,
  MINUTE,
  NOW,
  OTHER_GATEWAY_ARN,
  optionsOf,
  volumeArn,
} from '../../helpers/fixtures.ts';
import { bytes, iteration, volumeIds } from '../../helpers/report.ts';

/**
 * Runs a gateway's points through the policy and a fake CreateSnapshot that fails every `failEvery`-th
 * selected point, and folds the gateway as the state machine would.
 */
function gatewayRun(gatewayArn: string, points: RecoveryPoint[], failEvery = 0, cause = 'boom'): GatewayReport {
  const options = optionsOf({ policy: { minAgeMinutes: 10, unknownUsage: 'skip' } });
  const listed = planGateway(points, { options, now: NOW, snapshots: [] });
  const outcomes = listed.selected.map((point, i): SnapshotOutcome | VolumeFailure =>
    failEvery && (i + 1) % failEvery === 0
      ? { ...point, failure: { Error: 'InternalServerError', Cause: `${cause} ${point.volumeArn}` } }
      : { ...point, snapshotId: `snap-${i}-${gatewayArn.slice(-4)}`, status: 'created' },
  );
  return gatewayReportOf(iteration({ gatewayArn, options, listed, outcomes }));
}

function points(gatewayArn: string, count: number): RecoveryPoint[] {
  return volumeIds(count).map((id, i) => ({
    volumeArn: volumeArn(id, gatewayArn),
    recoveryPointTime: agoIso(i % 4 === 0 ? MINUTE : 2 * HOUR),
    sizeBytes: 1_000,
    ...(i % 5 === 0 ? {} : { usageBytes: 10 }),
  }));
}

const EVIDENCE = {
  prefix: 's3://bucket/executions/sm/run-1/',
  report: 's3://bucket/executions/sm/run-1/report.json',
  manifest: 's3://bucket/executions/sm/run-1/manifest.json',
  csv: 's3://bucket/executions/sm/run-1/report.csv',
};

describe('buildReport', () => {
  const all = [points(GATEWAY_ARN, 30), points(OTHER_GATEWAY_ARN, 12)];
  const gateways = [gatewayRun(GATEWAY_ARN, all[0] ?? [], 3), gatewayRun(OTHER_GATEWAY_ARN, all[1] ?? [], 4)];

  it('puts every recovery point of every gateway in exactly one of snapshots, skipped or failures', () => {
    // Act
    const report = buildReport({ execution: EXECUTION, dryRun: false, gateways });

    // Assess
    const seen = [...report.snapshots, ...report.skipped, ...report.failures].map((entry) => entry.volumeArn);
    expect(seen.sort()).toEqual(
      all
        .flat()
        .map((p) => p.volumeArn)
        .sort(),
    );
    expect(report.summary.recoveryPoints).toBe(42);
    expect(report.summary.created + report.summary.skipped + report.summary.failed).toBe(42);
    expect(report.summary.failed).toBe(report.failures.length);
  });

  it('sums the counts and the skip reasons of all gateways, and gives every volume in scope a manifest entry', () => {
    // Act
    const report = buildReport({
      execution: EXECUTION,
      dryRun: false,
      gateways,
      gatewayNames: new Map([[GATEWAY_ARN, 'London DC']]),
      evidence: EVIDENCE,
    });

    // Assess
    const skippedByReason = Object.values(report.summary.skippedByReason).reduce((a, b) => a + b, 0);
    expect(skippedByReason).toBe(report.summary.skipped);
    expect(report.manifest.map((g) => [g.gatewayArn, g.gatewayName])).toEqual([
      [GATEWAY_ARN, 'London DC'],
      [OTHER_GATEWAY_ARN, undefined],
    ]);
    expect(report.summary.volumes).toBe(42);
    expect(report.manifest.flatMap((g) => g.volumes)).toHaveLength(42);
    expect(report.summary.withoutSnapshot).toBe(report.summary.skipped + report.summary.failed);
    expect(report.evidence).toEqual(EVIDENCE);
  });
});

describe('digestOf', () => {
  function hugeReport(gatewayCount: number): ExecutionReport {
    const gateways = Array.from({ length: gatewayCount }, (_, g) => {
      const gatewayArn = GATEWAY_ARN.replace('sgw-12A3456B', `sgw-${String(g).padStart(8, '0')}`);
      return gatewayRun(gatewayArn, points(gatewayArn, 32), 2, 'x'.repeat(2_000));
    });
    return buildReport({ execution: EXECUTION, dryRun: false, gateways, evidence: EVIDENCE });
  }

  it('stays the same size at any fleet size: the summary, the first failures with short causes, the locations', () => {
    // Act
    const small = digestOf(hugeReport(2));
    const large = digestOf(hugeReport(200));

    // Assess
    expect(large.failures).toHaveLength(DIGEST_FAILURES);
    expect(large.failures.every((f) => f.cause.length <= DIGEST_CAUSE_LENGTH)).toBe(true);
    expect(large.moreFailures).toBe(large.summary.failed - DIGEST_FAILURES);
    expect(large.evidence).toEqual(EVIDENCE);
    expect(bytes(large)).toBeLessThan(8_000);
    expect(Math.abs(bytes(large) - bytes(small))).toBeLessThan(100);
  });
});

describe('reportRows', () => {
  it('has one row per recovery point, with what to restore each volume from', () => {
    // Prepare
    const report = buildReport({
      execution: EXECUTION,
      dryRun: false,
      gateways: [gatewayRun(GATEWAY_ARN, points(GATEWAY_ARN, 10), 3)],
    });

    // Act
    const rows = reportRows(report);

    // Assess
    expect(rows).toHaveLength(10);
    expect(rows.every((row) => row.length === REPORT_COLUMNS.length)).toBe(true);
    const column = (name: (typeof REPORT_COLUMNS)[number]) => REPORT_COLUMNS.indexOf(name);
    const createdRow = rows.find((row) => row[column('outcome')] === 'created');
    expect(createdRow?.[column('restore_from_snapshot_id')]).toBe(createdRow?.[column('snapshot_id')]);
    const failedRow = rows.find((row) => row[column('outcome')] === 'failed');
    expect(failedRow?.[column('reason_or_error')]).toBe('InternalServerError');
    expect(failedRow?.[column('restore_from_snapshot_id')]).toBe('');
    expect(rows.map((row) => row[column('volume_arn')])).toEqual(
      [...rows.map((row) => row[column('volume_arn')])].sort(),
    );
  });
});
