import {
  EXECUTION_METRICS,
  executionFigures,
  formatFigures,
  metricValues,
  skippedMetricName,
} from '../../../src/monitoring/figures.ts';
import { formatAge, rpoOf } from '../../../src/monitoring/rpo.ts';
import type { ExecutionReport } from '../../../src/report/execution-report.ts';
import type { ManifestGateway } from '../../../src/report/gateway-report.ts';
import { noRetentionCounts } from '../../../src/retention/report.ts';
import { SKIP_REASONS } from '../../../src/workflow/types.ts';
import { GATEWAY_ARN, NOW, OTHER_GATEWAY_ARN, volumeArn } from '../../helpers/fixtures.ts';

const HOUR = 3600;
const hoursAgo = (hours: number) => new Date(NOW - hours * HOUR * 1000).toISOString();
const snapshotAt = (id: string, hours: number, gatewayArn = GATEWAY_ARN) => ({
  volumeArn: volumeArn(id, gatewayArn),
  snapshotId: `snap-${id}`,
  recoveryPointTime: hoursAgo(hours),
});

/** Two gateways: ages 1, 2, 30 and 50 hours, and one volume with no usable snapshot. */
const MANIFEST: ManifestGateway[] = [
  {
    gatewayArn: GATEWAY_ARN,
    gatewayName: 'site-a',
    volumes: [
      snapshotAt('vol-1', 1),
      snapshotAt('vol-2', 30),
      { volumeArn: volumeArn('vol-3'), snapshotId: null, reason: 'below-min-usage' },
    ],
  },
  {
    gatewayArn: OTHER_GATEWAY_ARN,
    volumes: [snapshotAt('vol-4', 2, OTHER_GATEWAY_ARN), snapshotAt('vol-5', 50, OTHER_GATEWAY_ARN)],
  },
];

function reportOf(manifest: ManifestGateway[], overrides: Partial<ExecutionReport['summary']> = {}, dryRun = false) {
  return {
    dryRun,
    execution: { id: 'arn', name: 'run', startTime: hoursAgo(1) },
    summary: {
      gateways: manifest.length,
      recoveryPoints: 9,
      selected: 3,
      created: 2,
      existing: 1,
      wouldCreate: 0,
      skipped: 3,
      failed: 0,
      skippedByReason: { 'too-new': 2, 'below-min-usage': 1 },
      volumes: 5,
      withoutSnapshot: 1,
      ...overrides,
    },
    snapshots: [],
    skipped: [],
    failures: [],
    manifest,
  } satisfies ExecutionReport;
}

describe('rpoOf', () => {
  it('measures each volume by the age of its snapshot’s recovery point: worst, median, and the stale ones', () => {
    // Act
    const rpo = rpoOf(MANIFEST, NOW, 24);

    // Assess
    expect(rpo.volumes).toBe(5);
    expect(rpo.worstSeconds).toBe(50 * HOUR);
    expect(rpo.medianSeconds).toBe(16 * HOUR);
    // No snapshot first, then the oldest.
    expect(rpo.stale).toEqual([
      {
        gatewayArn: GATEWAY_ARN,
        gatewayName: 'site-a',
        volumeArn: volumeArn('vol-3'),
        ageSeconds: null,
        reason: 'below-min-usage',
      },
      { gatewayArn: OTHER_GATEWAY_ARN, volumeArn: volumeArn('vol-5', OTHER_GATEWAY_ARN), ageSeconds: 50 * HOUR },
      { gatewayArn: GATEWAY_ARN, gatewayName: 'site-a', volumeArn: volumeArn('vol-2'), ageSeconds: 30 * HOUR },
    ]);
  });

  it('takes the middle age of an odd count, and counts a volume at exactly the target as not stale', () => {
    const manifest: ManifestGateway[] = [
      { gatewayArn: GATEWAY_ARN, volumes: [snapshotAt('vol-1', 1), snapshotAt('vol-2', 24), snapshotAt('vol-3', 3)] },
    ];
    const rpo = rpoOf(manifest, NOW, 24);
    expect(rpo.medianSeconds).toBe(3 * HOUR);
    expect(rpo.stale).toEqual([]);
  });

  it('has no worst or median when no volume has a snapshot, and every volume is stale', () => {
    const manifest: ManifestGateway[] = [
      { gatewayArn: GATEWAY_ARN, volumes: [{ volumeArn: volumeArn('vol-1'), snapshotId: null }] },
    ];
    const rpo = rpoOf(manifest, NOW, 24);
    expect(rpo).toEqual({
      volumes: 1,
      targetHours: 24,
      stale: [{ gatewayArn: GATEWAY_ARN, volumeArn: volumeArn('vol-1'), ageSeconds: null }],
    });
  });
});

describe('executionFigures and metricValues', () => {
  it('carry the counts, every skip reason, the volumes in scope, the stale ones and the RPO, in a fixed set', () => {
    // Act
    const values = metricValues(executionFigures(reportOf(MANIFEST), NOW, 24));

    // Assess
    expect(Object.fromEntries(values.map((v) => [v.name, [v.value, v.unit]]))).toEqual({
      ExecutionsSummarised: [1, 'Count'],
      SuccessfulExecutions: [1, 'Count'],
      SnapshotsCreated: [2, 'Count'],
      SnapshotsExisting: [1, 'Count'],
      Failures: [0, 'Count'],
      SnapshotsDeleted: [0, 'Count'],
      SnapshotsNotRemoved: [0, 'Count'],
      SkippedExcluded: [0, 'Count'],
      SkippedAlreadySnapshotted: [0, 'Count'],
      SkippedTooNew: [2, 'Count'],
      SkippedTooOld: [0, 'Count'],
      SkippedUnknownUsage: [0, 'Count'],
      SkippedBelowMinUsage: [1, 'Count'],
      VolumesInScope: [5, 'Count'],
      StaleVolumes: [3, 'Count'],
      WorstRpo: [50 * HOUR, 'Seconds'],
      MedianRpo: [16 * HOUR, 'Seconds'],
    });
  });

  it('publish the same names at any fleet size: the series are bounded', () => {
    const big: ManifestGateway[] = Array.from({ length: 40 }, (_, g) => ({
      gatewayArn: `${GATEWAY_ARN.slice(0, -8)}${String(g).padStart(8, '0')}`,
      volumes: Array.from({ length: 80 }, (_, v) => snapshotAt(`vol-${g}-${v}`, v % 30)),
    }));
    const names = (manifest: ManifestGateway[]) =>
      metricValues(executionFigures(reportOf(manifest), NOW, 24)).map((v) => v.name);
    expect(names(big)).toEqual(names(MANIFEST));
    expect(names(big)).toHaveLength(11 + SKIP_REASONS.length);
  });

  it('count an execution that failed something, or a dry run, as no successful execution', () => {
    const failed = metricValues(executionFigures(reportOf(MANIFEST, { failed: 1 }), NOW, 24));
    const dryRun = metricValues(executionFigures(reportOf(MANIFEST, {}, true), NOW, 24));
    const succeeded = (values: typeof failed) => values.find((v) => v.name === EXECUTION_METRICS.succeeded)?.value;
    expect([succeeded(failed), succeeded(dryRun)]).toEqual([0, 0]);
    expect(failed.find((v) => v.name === EXECUTION_METRICS.failed)?.value).toBe(1);
  });

  it('carry what retention deleted, and what it meant to delete but could not (in use, refused, not reached)', () => {
    // Prepare
    const retention = {
      ...noRetentionCounts(),
      kept: 40,
      deleted: 7,
      inUse: 2,
      deleteFailed: 1,
      notDeleted: 3,
      deferred: 5,
    };

    // Act
    const figures = executionFigures(reportOf(MANIFEST, { retention }), NOW, 24);
    const values = metricValues(figures);

    // Assess: deferred deletions are the policy's own pacing, not a failure to remove.
    const value = (name: string) => values.find((v) => v.name === name)?.value;
    expect([value(EXECUTION_METRICS.deleted), value(EXECUTION_METRICS.notRemoved)]).toEqual([7, 6]);
    expect(formatFigures(figures)).toContain(', 7 deleted, 6 not removed;');
  });

  it('leave the RPO ages out when no volume has a snapshot, rather than publish a zero that looks healthy', () => {
    const none: ManifestGateway[] = [
      { gatewayArn: GATEWAY_ARN, volumes: [{ volumeArn: volumeArn('v'), snapshotId: null }] },
    ];
    const names = metricValues(executionFigures(reportOf(none), NOW, 24)).map((v) => v.name);
    expect(names).not.toContain(EXECUTION_METRICS.worstRpo);
    expect(names).not.toContain(EXECUTION_METRICS.medianRpo);
    expect(names).toContain(EXECUTION_METRICS.stale);
  });

  it('name each skip reason’s metric in Pascal case', () => {
    expect(SKIP_REASONS.map(skippedMetricName)).toEqual([
      'SkippedExcluded',
      'SkippedAlreadySnapshotted',
      'SkippedTooNew',
      'SkippedTooOld',
      'SkippedUnknownUsage',
      'SkippedBelowMinUsage',
    ]);
  });
});

describe('formatFigures', () => {
  it('prints the figures the metrics carry on one line', () => {
    expect(formatFigures(executionFigures(reportOf(MANIFEST), NOW, 24))).toBe(
      'Metrics: 2 created, 1 existing, 0 failed, skipped too-new 2, below-min-usage 1; ' +
        'RPO worst 2d 2h, median 16h; 3 of 5 volumes older than 24h',
    );
  });

  it('says when the execution does not count as successful', () => {
    expect(formatFigures(executionFigures(reportOf(MANIFEST, { failed: 2 }), NOW, 24))).toMatch(
      /2 failed.*\(not a successful execution\)$/,
    );
    expect(formatFigures(executionFigures(reportOf([], {}, true), NOW, 24))).toMatch(
      /RPO worst none, median none; 0 of 0 volumes older than 24h \(dry run: not a successful execution\)$/,
    );
  });

  it('writes ages in days, hours and minutes', () => {
    expect([formatAge(59), formatAge(3600), formatAge(93_784), formatAge(86_400), formatAge(null)]).toEqual([
      '0m',
      '1h',
      '1d 2h 3m',
      '1d',
      'none',
    ]);
  });
});
