import { readableCause } from '../../../src/report/cause.ts';
import {
  fitGatewayResult,
  type GatewayResult,
  summariseGateway,
  volumeArnOf,
  volumeIdOf,
} from '../../../src/report/gateway-result.ts';
import type { SkippedPoint } from '../../../src/workflow/types.ts';
import { GATEWAY_ARN, volumeArn } from '../fixtures.ts';
import { bytes, created, failed, iteration, TIME, volumeIds } from './helpers.ts';

const LARGE_BUDGET = 1_000_000;

function skippedPoint(volumeId: string, reason: SkippedPoint['reason']): SkippedPoint {
  return { volumeArn: volumeArn(volumeId), recoveryPointTime: TIME, reason };
}

describe('volumeIdOf / volumeArnOf', () => {
  it('turn a volume ARN into its ID and back', () => {
    // Act
    const id = volumeIdOf(volumeArn('vol-1122AABB'));

    // Assess
    expect(id).toBe('vol-1122AABB');
    expect(volumeArnOf(GATEWAY_ARN, id)).toBe(volumeArn('vol-1122AABB'));
  });
});

describe('summariseGateway', () => {
  it('folds outcomes, skips and listing failures into one result with complete counts', () => {
    // Prepare
    const [a, b, c, d, e, f, g] = volumeIds(7);
    const input = iteration({
      listed: {
        recoveryPoints: 7,
        selected: [a, b, c, d].map((id = '') => ({
          volumeArn: volumeArn(id),
          recoveryPointTime: TIME,
          sizeBytes: 1_000,
        })),
        skipped: [skippedPoint(e ?? '', 'too-new'), skippedPoint(f ?? '', 'too-new')],
        failures: [
          {
            volumeArn: volumeArn(g ?? ''),
            recoveryPointTime: TIME,
            error: 'InvalidRecoveryPointTime',
            cause: 'not a time',
          },
        ],
      },
      outcomes: [
        created(a ?? ''),
        { ...created(b ?? ''), status: 'existing' },
        failed(
          c ?? '',
          'InternalServerError',
          JSON.stringify({ errorType: 'InternalServerError', errorMessage: 'boom' }),
        ),
        failed(d ?? '', 'InternalServerError', 'boom'),
      ],
    });

    // Act
    const result = summariseGateway(input, LARGE_BUDGET);

    // Assess
    expect(result.counts).toEqual({
      selected: 4,
      created: 1,
      existing: 1,
      wouldCreate: 0,
      failed: 3,
      skipped: { 'too-new': 2 },
    });
    expect(result.recoveryPoints).toBe(7);
    expect(result.snapshots.map((s) => [s.volumeId, s.status, s.snapshotId])).toEqual([
      [a, 'created', `snap-${a?.slice(4)}`],
      [b, 'existing', `snap-${b?.slice(4)}`],
    ]);
    expect(result.skipped).toEqual([
      { volumeId: e, recoveryPointTime: TIME, reason: 'too-new' },
      { volumeId: f, recoveryPointTime: TIME, reason: 'too-new' },
    ]);
    expect(result.failures).toEqual([
      { error: 'InvalidRecoveryPointTime', cause: 'not a time', volumeIds: [g] },
      { error: 'InternalServerError', cause: 'boom', volumeIds: [c, d] },
    ]);
    expect(result.omitted).toBeUndefined();
  });

  it('records a gateway whose listing failed as one failure without volumes', () => {
    // Prepare
    const input = iteration({
      listFailure: {
        Error: 'InvalidGatewayRequestException',
        Cause: JSON.stringify({
          errorType: 'InvalidGatewayRequestException',
          errorMessage: 'gateway is offline',
          trace: [],
        }),
      },
    });

    // Act
    const result = summariseGateway(input, LARGE_BUDGET);

    // Assess
    expect(result.failures).toEqual([
      { error: 'InvalidGatewayRequestException', cause: 'gateway is offline', volumeIds: [] },
    ]);
    expect(result.counts.failed).toBe(1);
    expect(result.recoveryPoints).toBe(0);
    expect(result.snapshots).toEqual([]);
  });

  it('reports what a dry run would create', () => {
    // Prepare
    const [a, b] = volumeIds(2);
    const input = iteration(
      {
        listed: {
          recoveryPoints: 2,
          selected: [a, b].map((id = '') => ({ volumeArn: volumeArn(id), recoveryPointTime: TIME, sizeBytes: 5 })),
          skipped: [],
          failures: [],
        },
      },
      true,
    );

    // Act
    const result = summariseGateway(input, LARGE_BUDGET);

    // Assess
    expect(result.snapshots).toEqual([
      { volumeId: a, recoveryPointTime: TIME, status: 'would-create', sizeBytes: 5 },
      { volumeId: b, recoveryPointTime: TIME, status: 'would-create', sizeBytes: 5 },
    ]);
    expect(result.counts).toMatchObject({ selected: 2, wouldCreate: 2, created: 0, failed: 0 });
  });

  it('fits a 32-volume gateway whose every volume failed with a distinct 2,000-character cause into 1,500 bytes', () => {
    // Prepare
    const ids = volumeIds(32);
    const input = iteration({
      listed: {
        recoveryPoints: 32,
        selected: ids.map((id) => ({ volumeArn: volumeArn(id), recoveryPointTime: TIME, sizeBytes: 1_000 })),
        skipped: [],
        failures: [],
      },
      outcomes: ids.map((id, i) =>
        failed(id, 'InvalidGatewayRequestException', `failure ${i}: ${'detail '.repeat(300)}`.slice(0, 2_000)),
      ),
    });

    // Act
    const result = summariseGateway(input, 1_500);

    // Assess
    expect(bytes(result)).toBeLessThanOrEqual(1_500);
    expect(result.failures.flatMap((f) => f.volumeIds).sort()).toEqual([...ids].sort());
    expect(result.counts.failed).toBe(32);
  });
});

describe('fitGatewayResult', () => {
  // 20 skipped, 20 snapshots and 3 failures with long causes.
  const ids = volumeIds(43);
  const full: GatewayResult = {
    gatewayArn: GATEWAY_ARN,
    recoveryPoints: 43,
    counts: { selected: 23, created: 20, existing: 0, wouldCreate: 0, failed: 3, skipped: { 'below-min-usage': 20 } },
    skipped: ids.slice(0, 20).map((volumeId) => ({ volumeId, recoveryPointTime: TIME, reason: 'below-min-usage' })),
    snapshots: ids.slice(20, 40).map((volumeId) => ({
      volumeId,
      recoveryPointTime: TIME,
      snapshotId: `snap-${volumeId.slice(4)}`,
      status: 'created',
      sizeBytes: 1_000,
    })),
    failures: ids.slice(40).map((volumeId, i) => ({
      error: 'InternalServerError',
      cause: `${i} ${'c'.repeat(900)}`,
      volumeIds: [volumeId],
    })),
  };
  const withoutSkipped = bytes({ ...full, skipped: [], omitted: { skipped: 20 } });
  const withoutDetail = bytes({ ...full, skipped: [], snapshots: [], omitted: { skipped: 20, snapshots: 20 } });

  it('leaves a result within its budget as it is', () => {
    // Act
    const fitted = fitGatewayResult(full, bytes(full));

    // Assess
    expect(fitted).toEqual(full);
  });

  it('cuts skip details first, counting what it cut', () => {
    // Prepare
    const budget = bytes(full) - 200;

    // Act
    const fitted = fitGatewayResult(full, budget);

    // Assess
    expect(bytes(fitted)).toBeLessThanOrEqual(budget);
    expect(fitted.snapshots).toEqual(full.snapshots);
    expect(fitted.failures).toEqual(full.failures);
    expect(fitted.skipped).toEqual(full.skipped.slice(0, fitted.skipped.length));
    expect(fitted.skipped.length + (fitted.omitted?.skipped ?? 0)).toBe(20);
    expect(fitted.omitted?.skipped).toBeGreaterThan(0);
  });

  it('then snapshot details, keeping every cause whole', () => {
    // Prepare
    const budget = withoutSkipped - 300;

    // Act
    const fitted = fitGatewayResult(full, budget);

    // Assess
    expect(bytes(fitted)).toBeLessThanOrEqual(budget);
    expect(fitted.skipped).toEqual([]);
    expect(fitted.omitted?.skipped).toBe(20);
    expect(fitted.snapshots.length + (fitted.omitted?.snapshots ?? 0)).toBe(20);
    expect(fitted.omitted?.snapshots).toBeGreaterThan(0);
    expect(fitted.failures).toEqual(full.failures);
  });

  it('then cause text, never counts or the volume IDs of a failure', () => {
    // Prepare
    const budget = withoutDetail - 1_000;

    // Act
    const fitted = fitGatewayResult(full, budget);

    // Assess
    expect(bytes(fitted)).toBeLessThanOrEqual(budget);
    expect(fitted.omitted).toEqual({ skipped: 20, snapshots: 20 });
    expect(fitted.counts).toEqual(full.counts);
    expect(fitted.failures.flatMap((f) => f.volumeIds)).toEqual(ids.slice(40));
    for (const failure of fitted.failures) expect(failure.cause.length).toBeLessThan(900);
    expect(fitted.failures.map((f) => f.cause)).toEqual(
      fitted.failures.map((f, i) => readableCause(full.failures[i]?.cause, f.cause.length)),
    );
  });

  it('keeps counting what an earlier fitting cut when it fits again', () => {
    // Prepare
    const once = fitGatewayResult(full, bytes(full) - 200);

    // Act
    const twice = fitGatewayResult(once, withoutSkipped - 300);

    // Assess
    expect(twice.omitted?.skipped).toBe(20);
    expect(twice.snapshots.length + (twice.omitted?.snapshots ?? 0)).toBe(20);
  });
});
