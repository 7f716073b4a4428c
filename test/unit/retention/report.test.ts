import { deleteFailureOutcome } from '../../../src/retention/context.ts';
import type { RetentionDecision } from '../../../src/retention/policy.ts';
import {
  deletionsOf,
  MAX_DELETIONS_PER_GATEWAY,
  type RetentionPlan,
  retentionCounts,
  retentionRows,
} from '../../../src/retention/report.ts';
import { GATEWAY_ARN, volumeArn } from '../../helpers/fixtures.ts';

const VOLUME = volumeArn('vol-1122AABB');

function decision(snapshotId: string, fields: Partial<RetentionDecision> = {}): RetentionDecision {
  return {
    snapshotId,
    volumeArn: VOLUME,
    recoveryPointTime: '2026-11-01T00:00:00.000Z',
    action: 'delete',
    rules: [],
    guards: [],
    deleteReason: 'no-rule',
    volumeGone: false,
    ...fields,
  };
}

const PLAN: RetentionPlan = {
  gatewayArn: GATEWAY_ARN,
  dryRun: false,
  locks: [],
  decisions: [
    decision('snap-kept', { action: 'keep', rules: ['daily'], guards: ['newest-completed'], deleteReason: undefined }),
    decision('snap-a'),
    decision('snap-b', { deleteReason: 'older-than-max-age', volumeGone: true }),
    decision('snap-c'),
    decision('snap-d'),
  ],
};

describe('retentionRows', () => {
  it('applies every round to the plan; a deletion no round reached is not-deleted', () => {
    // Act
    const rows = retentionRows(PLAN, [
      {
        round: 1,
        from: 2,
        to: 3,
        results: [{ snapshotId: 'snap-c', outcome: 'in-use', error: 'InvalidSnapshot.InUse', cause: 'ami' }],
      },
      {
        round: 0,
        from: 0,
        to: 2,
        results: [
          { snapshotId: 'snap-a', outcome: 'deleted' },
          { snapshotId: 'snap-b', outcome: 'deleted' },
        ],
      },
    ]);

    // Assess
    expect(rows.map((r) => [r.snapshotId, r.outcome, r.reason])).toEqual([
      ['snap-kept', 'kept', 'daily+newest-completed'],
      ['snap-a', 'deleted', 'no-rule'],
      ['snap-b', 'deleted', 'older-than-max-age'],
      ['snap-c', 'in-use', 'no-rule'],
      ['snap-d', 'not-deleted', 'no-rule'],
    ]);
    expect(rows[2]?.volumeGone).toBe(true);
    expect(rows[3]).toMatchObject({ error: 'InvalidSnapshot.InUse', cause: 'ami' });
    expect(retentionCounts([{ rows }, { rows: [], failure: { error: 'States.Timeout', cause: '' } }])).toEqual({
      kept: 1,
      deleted: 2,
      wouldDelete: 0,
      inUse: 1,
      deleteFailed: 0,
      notDeleted: 1,
      deferred: 0,
      locked: 0,
      lockFailed: 0,
      archived: 0,
      archiveFailed: 0,
      wouldArchive: 0,
      stepFailures: 1,
    });
  });

  it('defers the deletions past one run’s share to later runs, and lists them all in a dry run', () => {
    // Prepare
    const many = Array.from({ length: MAX_DELETIONS_PER_GATEWAY + 3 }, (_, i) => decision(`snap-${i}`));
    const plan = { ...PLAN, decisions: many };

    // Act
    const rows = retentionRows(plan, []);
    const dry = retentionRows({ ...plan, dryRun: true }, []);

    // Assess
    expect(deletionsOf(plan)).toHaveLength(MAX_DELETIONS_PER_GATEWAY);
    expect(rows.filter((r) => r.outcome === 'deferred').map((r) => r.snapshotId)).toEqual(
      many.slice(MAX_DELETIONS_PER_GATEWAY).map((d) => d.snapshotId),
    );
    expect(dry.every((r) => r.outcome === 'would-delete')).toBe(true);
  });

  it('makes every deletion of a dry run a would-delete', () => {
    const rows = retentionRows({ ...PLAN, dryRun: true }, []);

    expect(rows.map((r) => r.outcome)).toEqual([
      'kept',
      'would-delete',
      'would-delete',
      'would-delete',
      'would-delete',
    ]);
  });
});

describe('deleteFailureOutcome', () => {
  const named = (name: string, extra: object = {}) => Object.assign(new Error(`${name} said no`), { name, ...extra });

  it.each([
    ['InvalidSnapshot.NotFound', { snapshotId: 'snap-1', outcome: 'deleted' }],
    ['InvalidSnapshot.InUse', expect.objectContaining({ outcome: 'in-use', error: 'InvalidSnapshot.InUse' })],
    [
      'UnauthorizedOperation',
      expect.objectContaining({ outcome: 'delete-failed', cause: 'UnauthorizedOperation said no' }),
    ],
    ['RequestLimitExceeded', 'throttled'],
    ['InternalError', 'retry'],
    ['TimeoutError', 'retry'],
  ])('reads %s', (name, expected) => {
    expect(deleteFailureOutcome('snap-1', named(name))).toEqual(expected);
  });
});
