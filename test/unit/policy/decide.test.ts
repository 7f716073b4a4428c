import { INVALID_RECOVERY_POINT_TIME } from '../../../src/errors.ts';
import type { ExecutionInput } from '../../../src/input/schema.ts';
import { type DecisionContext, decide, parseRecoveryPointTime, recoveryPointKey } from '../../../src/policy/decide.ts';
import type { RecoveryPoint } from '../../../src/workflow/types.ts';
import { agoIso, HOUR, MINUTE, NOW, optionsOf, volumeArn } from '../../helpers/fixtures.ts';

const VOLUME = volumeArn('vol-1122AABB');
const OTHER_VOLUME = volumeArn('vol-1122AABC');

function point(fields: Partial<RecoveryPoint> = {}): RecoveryPoint {
  return {
    volumeArn: VOLUME,
    recoveryPointTime: agoIso(2 * HOUR),
    sizeBytes: 1_000_000,
    usageBytes: 500_000,
    ...fields,
  };
}

function context(input: ExecutionInput = {}, alreadySnapshotted: string[] = []): DecisionContext {
  return { options: optionsOf(input), now: NOW, alreadySnapshotted: new Set(alreadySnapshotted) };
}

describe('decide', () => {
  it('snapshots a used, settled point under the default policy', () => {
    // Act
    const decision = decide(point(), context());

    // Assess
    expect(decision).toEqual({ action: 'snapshot' });
  });

  describe('excluded', () => {
    it('skips a volume that volumeArns leaves out, and snapshots one it names', () => {
      // Prepare
      const only = context({ volumeArns: [OTHER_VOLUME] });

      // Act
      const left = decide(point(), only);
      const named = decide(point({ volumeArn: OTHER_VOLUME }), only);

      // Assess
      expect(left).toEqual({ action: 'skip', reason: 'excluded' });
      expect(named).toEqual({ action: 'snapshot' });
    });

    it('skips a volume named in excludeVolumeArns, even when volumeArns names it too', () => {
      // Act
      const excluded = decide(point(), context({ excludeVolumeArns: [VOLUME] }));
      const both = decide(point(), context({ volumeArns: [VOLUME], excludeVolumeArns: [VOLUME] }));

      // Assess
      expect(excluded).toEqual({ action: 'skip', reason: 'excluded' });
      expect(both).toEqual({ action: 'skip', reason: 'excluded' });
    });
  });

  describe('already-snapshotted', () => {
    it('skips a point that has a snapshot of ours, but not another time of the same volume', () => {
      // Prepare
      const snapshotted = point();
      const ctx = context({}, [recoveryPointKey(snapshotted.volumeArn, snapshotted.recoveryPointTime)]);

      // Act
      const same = decide(snapshotted, ctx);
      const newer = decide(point({ recoveryPointTime: agoIso(HOUR) }), ctx);

      // Assess
      expect(same).toEqual({ action: 'skip', reason: 'already-snapshotted' });
      expect(newer).toEqual({ action: 'snapshot' });
    });

    it('snapshots it again when skipIfAlreadySnapshotted is false', () => {
      // Prepare
      const snapshotted = point();
      const key = recoveryPointKey(snapshotted.volumeArn, snapshotted.recoveryPointTime);

      // Act
      const decision = decide(snapshotted, context({ policy: { skipIfAlreadySnapshotted: false } }, [key]));

      // Assess
      expect(decision).toEqual({ action: 'snapshot' });
    });
  });

  describe('age', () => {
    it.each([
      ['1 ms younger than minAgeMinutes', 30 * MINUTE - 1, { action: 'skip', reason: 'too-new' }],
      ['exactly minAgeMinutes old', 30 * MINUTE, { action: 'snapshot' }],
      ['exactly maxAgeHours old', 24 * HOUR, { action: 'snapshot' }],
      ['1 ms older than maxAgeHours', 24 * HOUR + 1, { action: 'skip', reason: 'too-old' }],
    ])('a point %s', (_case, age, expected) => {
      // Prepare
      const ctx = context({ policy: { minAgeMinutes: 30, maxAgeHours: 24 } });

      // Act
      const decision = decide(point({ recoveryPointTime: agoIso(age) }), ctx);

      // Assess
      expect(decision).toEqual(expected);
    });

    it('has no upper age limit unless maxAgeHours is set', () => {
      // Act
      const decision = decide(point({ recoveryPointTime: agoIso(5 * 365 * 24 * HOUR) }), context());

      // Assess
      expect(decision).toEqual({ action: 'snapshot' });
    });

    it('reads times with an offset as the instant they name', () => {
      // Prepare: 11:45+00:00 written as 13:45+02:00, 15 minutes before NOW.
      const ctx = context({ policy: { minAgeMinutes: 20 } });

      // Act
      const decision = decide(point({ recoveryPointTime: '2025-01-15T13:45:00+02:00' }), ctx);

      // Assess
      expect(decision).toEqual({ action: 'skip', reason: 'too-new' });
    });
  });

  describe('usage', () => {
    it('snapshots a volume without VolumeUsageInBytes by default, and skips it with unknownUsage skip', () => {
      // Prepare
      const { usageBytes: _, ...unknown } = point();

      // Act
      const byDefault = decide(unknown, context());
      const skipped = decide(unknown, context({ policy: { unknownUsage: 'skip' } }));

      // Assess
      expect(byDefault).toEqual({ action: 'snapshot' });
      expect(skipped).toEqual({ action: 'skip', reason: 'unknown-usage' });
    });

    it('skips an empty volume under the default policy', () => {
      // Act
      const decision = decide(point({ usageBytes: 0 }), context());

      // Assess
      expect(decision).toEqual({ action: 'skip', reason: 'below-min-usage' });
    });

    it.each([
      [4_095, { action: 'skip', reason: 'below-min-usage' }],
      [4_096, { action: 'snapshot' }],
    ])('with minUsageBytes 4096, usage %d', (usageBytes, expected) => {
      // Act
      const decision = decide(point({ usageBytes }), context({ policy: { minUsageBytes: 4_096 } }));

      // Assess
      expect(decision).toEqual(expected);
    });

    it.each([
      [249_999, { action: 'skip', reason: 'below-min-usage' }],
      [250_000, { action: 'snapshot' }],
    ])('with minUsagePercent 25 of 1,000,000 bytes, usage %d', (usageBytes, expected) => {
      // Act
      const decision = decide(
        point({ sizeBytes: 1_000_000, usageBytes }),
        context({ policy: { minUsagePercent: 25 } }),
      );

      // Assess
      expect(decision).toEqual(expected);
    });
  });

  describe('recovery point times that are not times', () => {
    it.each([
      '',
      'yesterday',
      '2012-13-45T00:00:00Z',
      '2012-01-01',
      '1700000000',
      '2012-01-01 10:00:00Z',
      'Sun, 01 Jan 2012 00:00:00 GMT',
    ])('%j fails this one point with InvalidRecoveryPointTime instead of throwing', (time) => {
      // Prepare
      const ctx = context();

      // Act
      const decision = decide(point({ recoveryPointTime: time }), ctx);

      // Assess
      expect(decision).toEqual({
        action: 'fail',
        error: INVALID_RECOVERY_POINT_TIME,
        cause: expect.stringContaining(JSON.stringify(time)),
      });
    });

    it('leaves an excluded volume excluded even when its time is bad', () => {
      // Act
      const decision = decide(point({ recoveryPointTime: 'yesterday' }), context({ excludeVolumeArns: [VOLUME] }));

      // Assess
      expect(decision).toEqual({ action: 'skip', reason: 'excluded' });
    });
  });

  describe('precedence', () => {
    it('gives a point that meets every reason the first one in the fixed order, then the next as each is lifted', () => {
      // Prepare: 90 minutes old is both too new (minAge 120 min) and too old (maxAge 1 h).
      const time = agoIso(90 * MINUTE);
      const key = recoveryPointKey(VOLUME, time);
      const steps: Array<[string, ExecutionInput, string[]]> = [
        [
          'excluded',
          { excludeVolumeArns: [VOLUME], policy: { minAgeMinutes: 120, maxAgeHours: 1, unknownUsage: 'skip' } },
          [key],
        ],
        ['already-snapshotted', { policy: { minAgeMinutes: 120, maxAgeHours: 1, unknownUsage: 'skip' } }, [key]],
        ['too-new', { policy: { minAgeMinutes: 120, maxAgeHours: 1, unknownUsage: 'skip' } }, []],
        ['too-old', { policy: { maxAgeHours: 1, unknownUsage: 'skip' } }, []],
        ['unknown-usage', { policy: { unknownUsage: 'skip' } }, []],
      ];
      const { usageBytes: _, ...unknownUsage } = point({ recoveryPointTime: time });

      // Act
      const reasons = steps.map(([, input, snapshotted]) => decide(unknownUsage, context(input, snapshotted)));

      // Assess
      expect(reasons).toEqual(steps.map(([reason]) => ({ action: 'skip', reason })));
    });

    it('checks age before usage', () => {
      // Act
      const decision = decide(
        point({ recoveryPointTime: agoIso(MINUTE), usageBytes: 0 }),
        context({ policy: { minAgeMinutes: 5 } }),
      );

      // Assess
      expect(decision).toEqual({ action: 'skip', reason: 'too-new' });
    });

    it('fails a bad time before looking for an existing snapshot of it', () => {
      // Act
      const decision = decide(
        point({ recoveryPointTime: 'yesterday' }),
        context({}, [recoveryPointKey(VOLUME, 'yesterday')]),
      );

      // Assess
      expect(decision).toMatchObject({ action: 'fail', error: INVALID_RECOVERY_POINT_TIME });
    });
  });
});

describe('parseRecoveryPointTime', () => {
  it('reads ISO 8601 times with and without fractions', () => {
    // Act
    const times = ['2025-01-15T12:00:00Z', '2025-01-15T12:00:00.000Z', '2025-01-15T12:00Z'].map(parseRecoveryPointTime);

    // Assess
    expect(times).toEqual([NOW, NOW, NOW]);
  });
});
