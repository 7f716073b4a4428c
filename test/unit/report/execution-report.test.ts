import { planGateway } from '../../../src/policy/plan-gateway.ts';
import { buildReport, type ExecutionReport, fitReport } from '../../../src/report/execution-report.ts';
import { fitGatewayResult, type GatewayResult, summariseGateway } from '../../../src/report/gateway-result.ts';
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
} from '../fixtures.ts';
import { bytes, iteration, volumeIds } from './helpers.ts';

const LARGE_BUDGET = 1_000_000;
const THIRD_GATEWAY_ARN = GATEWAY_ARN.replace('sgw-12A3456B', 'sgw-34C5678D');

/**
 * Runs a gateway's points through the policy and a fake CreateSnapshot that fails every `failEvery`-th
 * selected point, and summarises the gateway as the state machine would.
 */
function gatewayRun(gatewayArn: string, points: RecoveryPoint[], failEvery = 0, dryRun = false): GatewayResult {
  const options = optionsOf({ dryRun, policy: { minAgeMinutes: 10, unknownUsage: 'skip' } });
  const listed = planGateway(points, { options, now: NOW, alreadySnapshotted: new Set() });
  const outcomes = dryRun
    ? []
    : listed.selected.map((point, i): SnapshotOutcome | VolumeFailure =>
        failEvery && (i + 1) % failEvery === 0
          ? { ...point, failure: { Error: 'InternalServerError', Cause: `failed ${point.volumeArn}` } }
          : { ...point, snapshotId: `snap-${i}-${gatewayArn.slice(-4)}`, status: 'created' },
      );
  return summariseGateway(iteration({ gatewayArn, options, listed, outcomes }), LARGE_BUDGET);
}

function points(gatewayArn: string, count: number): RecoveryPoint[] {
  return volumeIds(count).map((id, i) => ({
    volumeArn: volumeArn(id, gatewayArn),
    recoveryPointTime: agoIso(i % 4 === 0 ? MINUTE : 2 * HOUR),
    sizeBytes: 1_000,
    ...(i % 5 === 0 ? {} : { usageBytes: 10 }),
  }));
}

const listFailed = summariseGateway(
  iteration({
    gatewayArn: THIRD_GATEWAY_ARN,
    listFailure: { Error: 'InvalidGatewayRequestException', Cause: 'offline' },
  }),
  LARGE_BUDGET,
);

describe('buildReport', () => {
  it('puts every recovery point of every gateway in exactly one of snapshots, skipped or failures', () => {
    // Prepare
    const all = [points(GATEWAY_ARN, 30), points(OTHER_GATEWAY_ARN, 12)];
    const gateways = [gatewayRun(GATEWAY_ARN, all[0] ?? [], 3), gatewayRun(OTHER_GATEWAY_ARN, all[1] ?? [], 4)];

    // Act
    const report = buildReport(EXECUTION, false, gateways);

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

  it('sums the counts and the skip reasons of all gateways', () => {
    // Prepare
    const gateways = [
      gatewayRun(GATEWAY_ARN, points(GATEWAY_ARN, 10)),
      gatewayRun(OTHER_GATEWAY_ARN, points(OTHER_GATEWAY_ARN, 10)),
    ];

    // Act
    const { summary } = buildReport(EXECUTION, false, gateways);

    // Assess
    const perGateway = gateways.map((g) => g.counts);
    expect(summary.gateways).toBe(2);
    expect(summary.created).toBe(perGateway.reduce((sum, c) => sum + c.created, 0));
    expect(summary.skippedByReason).toEqual({
      'too-new': (perGateway[0]?.skipped['too-new'] ?? 0) + (perGateway[1]?.skipped['too-new'] ?? 0),
      'unknown-usage': (perGateway[0]?.skipped['unknown-usage'] ?? 0) + (perGateway[1]?.skipped['unknown-usage'] ?? 0),
    });
    expect(summary.skipped).toBe(
      (summary.skippedByReason['too-new'] ?? 0) + (summary.skippedByReason['unknown-usage'] ?? 0),
    );
  });

  it('lists a gateway whose listing failed as a failure without a volume', () => {
    // Act
    const report = buildReport(EXECUTION, false, [listFailed]);

    // Assess
    expect(report.failures).toEqual([
      { gatewayArn: THIRD_GATEWAY_ARN, error: 'InvalidGatewayRequestException', cause: 'offline' },
    ]);
    expect(report.summary.failed).toBe(1);
    expect(report.manifest).toEqual([]);
  });

  it('writes a manifest of the snapshots made, per gateway, with full volume ARNs', () => {
    // Prepare
    const gateways = [gatewayRun(GATEWAY_ARN, points(GATEWAY_ARN, 3), 2), listFailed];

    // Act
    const report = buildReport(EXECUTION, false, gateways);

    // Assess
    expect(report.manifest).toEqual([
      {
        gatewayArn: GATEWAY_ARN,
        volumes: report.snapshots.map(({ volumeArn: arn, snapshotId, recoveryPointTime, sizeBytes }) => ({
          volumeArn: arn,
          snapshotId,
          recoveryPointTime,
          sizeBytes,
        })),
      },
    ]);
    expect(report.manifest[0]?.volumes.length).toBeGreaterThan(0);
    expect(report.manifest[0]?.volumes.every((v) => v.volumeArn.startsWith(`${GATEWAY_ARN}/volume/vol-`))).toBe(true);
  });

  it('lists what a dry run would create without putting it in the manifest', () => {
    // Act
    const report = buildReport(EXECUTION, true, [gatewayRun(GATEWAY_ARN, points(GATEWAY_ARN, 10), 0, true)]);

    // Assess
    expect(report.dryRun).toBe(true);
    expect(report.snapshots.length).toBeGreaterThan(0);
    expect(report.snapshots.every((s) => s.status === 'would-create' && s.snapshotId === undefined)).toBe(true);
    expect(report.summary.wouldCreate).toBe(report.snapshots.length);
    expect(report.manifest).toEqual([]);
  });

  it('carries the compact gateway results when a gateway had to cut its detail', () => {
    // Prepare
    const cut = { ...gatewayRun(GATEWAY_ARN, points(GATEWAY_ARN, 10)), omitted: { skipped: 3 } };

    // Act
    const report = buildReport(EXECUTION, false, [cut]);

    // Assess
    expect(report.gateways).toEqual([cut]);
  });
});

describe('fitReport', () => {
  const gateways = [
    gatewayRun(GATEWAY_ARN, points(GATEWAY_ARN, 32), 3),
    gatewayRun(OTHER_GATEWAY_ARN, points(OTHER_GATEWAY_ARN, 32), 5),
  ];
  const report = buildReport(EXECUTION, false, gateways);
  const sizes = (r: ExecutionReport) => ({
    skipped: r.skipped.length,
    manifest: r.manifest.length,
    snapshots: r.snapshots.length,
    failures: r.failures.length,
  });

  it('leaves a report within its budget as it is', () => {
    // Act
    const fitted = fitReport(report, gateways, bytes(report));

    // Assess
    expect(fitted).toBe(report);
  });

  it.each([0.95, 0.8, 0.6, 0.45])(
    'fits %p of its size, cutting skipped, manifest, snapshots, failures in that order',
    (share) => {
      // Prepare
      const budget = Math.floor(bytes(report) * share);

      // Act
      const fitted = fitReport(report, gateways, budget);

      // Assess
      expect(bytes(fitted)).toBeLessThanOrEqual(budget);
      expect(fitted.summary).toEqual(report.summary);
      expect(fitted.gateways).toEqual(gateways);
      const kept = sizes(fitted);
      const whole = sizes(report);
      const order = ['skipped', 'manifest', 'snapshots', 'failures'] as const;
      for (const [i, key] of order.entries()) {
        expect(kept[key] + (fitted.omitted?.[key] ?? 0)).toBe(whole[key]);
        // A list is only cut once every list before it is empty.
        if (kept[key] < whole[key]) for (const before of order.slice(0, i)) expect(kept[before]).toBe(0);
      }
    },
  );

  it('keeps the volume IDs of every failure in the compact results while they fit', () => {
    // Prepare
    const budget = Math.floor(bytes(report) * 0.45);

    // Act
    const fitted = fitReport(report, gateways, budget);

    // Assess
    const failedIds = fitted.gateways?.flatMap((g) =>
      g.failures.flatMap((f) => f.volumeIds.map((id) => `${g.gatewayArn}/${id}`)),
    );
    expect(failedIds).toHaveLength(report.summary.failed);
  });

  it('cuts the compact results themselves when they are too large, keeping every failed volume ID', () => {
    // Prepare
    const budget = Math.floor(bytes(gateways) / 2);

    // Act
    const fitted = fitReport(report, gateways, budget);

    // Assess
    expect(bytes(fitted)).toBeLessThanOrEqual(budget);
    expect(fitted.summary).toEqual(report.summary);
    expect(fitted.gateways?.map((g) => g.counts)).toEqual(gateways.map((g) => g.counts));
    const failedIds = fitted.gateways?.flatMap((g) =>
      g.failures.flatMap((f) => f.volumeIds.map((id) => `${g.gatewayArn}/volume/${id}`)),
    );
    expect(failedIds?.sort()).toEqual(report.failures.map((f) => f.volumeArn).sort());
  });

  it('keeps as many gateways cut to their failed volume IDs as fit, counting the others', () => {
    // Prepare: room for the summary and about half the gateways at their smallest.
    const summaryOnly = bytes({ ...report, skipped: [], manifest: [], snapshots: [], failures: [] });
    const smallest = gateways.map((g) => fitGatewayResult(g, 0));
    const budget = summaryOnly + 200 + Math.floor(bytes(smallest) / 2);

    // Act
    const fitted = fitReport(report, gateways, budget);

    // Assess
    expect(bytes(fitted)).toBeLessThanOrEqual(budget);
    expect(fitted.summary).toEqual(report.summary);
    const kept = fitted.gateways ?? [];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length + (fitted.omitted?.gateways ?? 0)).toBe(gateways.length);
    expect(kept.map((g) => g.gatewayArn)).toEqual(gateways.slice(0, kept.length).map((g) => g.gatewayArn));
    expect(kept.map((g) => g.failures.flatMap((f) => f.volumeIds).sort())).toEqual(
      gateways.slice(0, kept.length).map((g) => g.failures.flatMap((f) => f.volumeIds).sort()),
    );
  });

  it('falls back to the summary and the counts of what it cut when nothing else fits', () => {
    // Prepare
    const budget = bytes({ ...report, skipped: [], manifest: [], snapshots: [], failures: [] }) + 200;

    // Act
    const fitted = fitReport(report, gateways, budget);

    // Assess
    expect(bytes(fitted)).toBeLessThanOrEqual(budget);
    expect(fitted.summary).toEqual(report.summary);
    expect(fitted.gateways).toBeUndefined();
    expect(fitted.omitted).toEqual({
      skipped: report.skipped.length,
      manifest: report.manifest.length,
      snapshots: report.snapshots.length,
      failures: report.failures.length,
    });
  });
});
