import { INVALID_RECOVERY_POINT_TIME } from '../../../src/errors.ts';
import { recoveryPointKey } from '../../../src/policy/decide.ts';
import { planGateway } from '../../../src/policy/plan-gateway.ts';
import type { RecoveryPoint } from '../../../src/workflow/types.ts';
import { agoIso, HOUR, MINUTE, NOW, optionsOf, volumeArn } from '../../helpers/fixtures.ts';

function point(volumeId: string, fields: Partial<RecoveryPoint> = {}): RecoveryPoint {
  return {
    volumeArn: volumeArn(volumeId),
    recoveryPointTime: agoIso(2 * HOUR),
    sizeBytes: 1_000,
    usageBytes: 500,
    ...fields,
  };
}

describe('planGateway', () => {
  // One point for every outcome, plus a second time of one volume.
  const points: RecoveryPoint[] = [
    point('vol-00000001'),
    point('vol-00000001', { recoveryPointTime: agoIso(3 * HOUR) }),
    point('vol-00000002'),
    point('vol-00000003'),
    point('vol-00000004', { recoveryPointTime: agoIso(MINUTE) }),
    point('vol-00000005', { recoveryPointTime: agoIso(100 * HOUR) }),
    { volumeArn: volumeArn('vol-00000006'), recoveryPointTime: agoIso(2 * HOUR), sizeBytes: 1_000 },
    point('vol-00000007', { usageBytes: 0 }),
    point('vol-00000008', { recoveryPointTime: 'yesterday' }),
  ];
  const context = {
    options: optionsOf({
      excludeVolumeArns: [volumeArn('vol-00000002')],
      policy: { minAgeMinutes: 10, maxAgeHours: 48, unknownUsage: 'skip' },
    }),
    now: NOW,
    snapshots: [
      {
        volumeArn: volumeArn('vol-00000003'),
        snapshotId: 'snap-3',
        recoveryPointTime: agoIso(2 * HOUR),
        state: 'completed',
      },
      // An older snapshot of volume 3, one that ended in error, and one of the excluded volume.
      {
        volumeArn: volumeArn('vol-00000003'),
        snapshotId: 'snap-3-old',
        recoveryPointTime: agoIso(9 * HOUR),
        state: 'completed',
      },
      {
        volumeArn: volumeArn('vol-00000004'),
        snapshotId: 'snap-4-bad',
        recoveryPointTime: agoIso(3 * HOUR),
        state: 'error',
      },
      {
        volumeArn: volumeArn('vol-00000004'),
        snapshotId: 'snap-4',
        recoveryPointTime: agoIso(5 * HOUR),
        state: 'pending',
      },
      {
        volumeArn: volumeArn('vol-00000002'),
        snapshotId: 'snap-2',
        recoveryPointTime: agoIso(5 * HOUR),
        state: 'completed',
      },
    ],
  };

  it('accounts for every recovery point exactly once', () => {
    // Act
    const result = planGateway(points, context);

    // Assess
    const keys = [...result.selected, ...result.skipped, ...result.failures].map((p) =>
      recoveryPointKey(p.volumeArn, p.recoveryPointTime),
    );
    expect(result.recoveryPoints).toBe(points.length);
    expect(keys.sort()).toEqual(points.map((p) => recoveryPointKey(p.volumeArn, p.recoveryPointTime)).sort());
  });

  it('sorts each point into selected, skipped with its reason, or failed', () => {
    // Act
    const result = planGateway(points, context);

    // Assess
    expect(result.selected).toEqual([
      { volumeArn: volumeArn('vol-00000001'), recoveryPointTime: agoIso(2 * HOUR), sizeBytes: 1_000 },
      { volumeArn: volumeArn('vol-00000001'), recoveryPointTime: agoIso(3 * HOUR), sizeBytes: 1_000 },
    ]);
    expect(result.skipped.map((s) => [s.volumeArn.slice(-12), s.reason])).toEqual([
      ['vol-00000002', 'excluded'],
      ['vol-00000003', 'already-snapshotted'],
      ['vol-00000004', 'too-new'],
      ['vol-00000005', 'too-old'],
      ['vol-00000006', 'unknown-usage'],
      ['vol-00000007', 'below-min-usage'],
    ]);
    expect(result.failures).toEqual([
      {
        volumeArn: volumeArn('vol-00000008'),
        recoveryPointTime: 'yesterday',
        sizeBytes: 1_000,
        error: INVALID_RECOVERY_POINT_TIME,
        cause: expect.stringContaining('yesterday'),
      },
    ]);
  });

  it('names the snapshot that already holds a point, and the newest usable earlier snapshot of each volume in scope', () => {
    // Act
    const result = planGateway(points, context);

    // Assess
    expect(result.skipped.find((s) => s.reason === 'already-snapshotted')).toMatchObject({ snapshotId: 'snap-3' });
    expect(result.skipped.filter((s) => s.snapshotId).length).toBe(1);
    expect(result.earlierSnapshots.map((s) => s.snapshotId).sort()).toEqual(['snap-3', 'snap-4']);
  });

  it('does not skip a point whose only snapshot ended in error', () => {
    // Act
    const result = planGateway([point('vol-00000004', { recoveryPointTime: agoIso(3 * HOUR) })], context);

    // Assess
    expect(result.selected).toHaveLength(1);
  });

  it('gives an empty gateway an empty plan', () => {
    // Act
    const result = planGateway([], { ...context, snapshots: [] });

    // Assess
    expect(result).toEqual({ recoveryPoints: 0, selected: [], skipped: [], failures: [], earlierSnapshots: [] });
  });
});
