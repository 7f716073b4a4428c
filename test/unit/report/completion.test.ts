import { SNAPSHOT_ERROR, SNAPSHOT_NOT_COMPLETED } from '../../../src/errors.ts';
import {
  abandonWait,
  applySnapshotStates,
  type SnapshotState,
  unsettledSnapshotIds,
} from '../../../src/report/completion.ts';
import { gatewayReportOf } from '../../../src/report/gateway-report.ts';
import { created, iteration, listing } from '../../helpers/report.ts';

const gateway = gatewayReportOf(
  iteration({
    listed: listing(['vol-1', 'vol-2', 'vol-3']),
    outcomes: [created('vol-1'), created('vol-2'), created('vol-3')],
  }),
);
const states = (entries: Array<[string, string]>) =>
  new Map<string, SnapshotState>(
    entries.map(([snapshotId, state]) => [snapshotId, { snapshotId, state, progress: '50%' }]),
  );

describe('applySnapshotStates', () => {
  it('records completed snapshots, keeps pending ones pending and moves errored ones to failures with their IDs', () => {
    // Act
    const check = applySnapshotStates(
      gateway,
      states([
        ['snap-1', 'completed'],
        ['snap-2', 'pending'],
        ['snap-3', 'error'],
      ]),
      false,
    );

    // Assess
    expect(check.pending).toBe(1);
    expect(check.changed).toBe(true);
    expect(check.gateway.snapshots.map((s) => [s.snapshotId, s.state])).toEqual([
      ['snap-1', 'completed'],
      ['snap-2', 'pending'],
    ]);
    expect(check.gateway.failures).toEqual([
      expect.objectContaining({ error: SNAPSHOT_ERROR, snapshotId: 'snap-3', state: 'error', sizeBytes: 1_000 }),
    ]);
    expect(unsettledSnapshotIds(check.gateway)).toEqual(['snap-2']);
    expect(check.completed).toBe(1);
    expect(check.failed).toEqual({ created: 1, existing: 0 });
    expect(check.lowestPendingProgress).toBe(50);
  });

  it('tells how many it failed at this poll by status, and the lowest progress of those still pending', () => {
    // Prepare
    const mixed = {
      ...gateway,
      snapshots: gateway.snapshots.map((s, i) => (i === 0 ? { ...s, status: 'existing' as const } : s)),
    };
    const progress = new Map<string, SnapshotState>([
      ['snap-1', { snapshotId: 'snap-1', state: 'error', progress: '10%' }],
      ['snap-2', { snapshotId: 'snap-2', state: 'pending', progress: '42%' }],
      ['snap-3', { snapshotId: 'snap-3', state: 'pending', progress: '' }],
    ]);

    // Act
    const check = applySnapshotStates(mixed, progress, false);
    const timedOut = applySnapshotStates(mixed, new Map(), true);

    // Assess
    expect(check.failed).toEqual({ created: 0, existing: 1 });
    expect(check.lowestPendingProgress).toBe(42);
    expect(check.pending).toBe(2);
    expect(timedOut.failed).toEqual({ created: 2, existing: 1 });
    expect(timedOut.lowestPendingProgress).toBeUndefined();
  });

  it('fails the snapshots still pending at the time-out, keeping their IDs and last state', () => {
    // Act
    const check = applySnapshotStates(gateway, states([['snap-1', 'completed']]), true);

    // Assess
    expect(check.pending).toBe(0);
    expect(check.gateway.failures.map((f) => [f.error, f.snapshotId, f.state])).toEqual([
      [SNAPSHOT_NOT_COMPLETED, 'snap-2', 'pending'],
      [SNAPSHOT_NOT_COMPLETED, 'snap-3', 'pending'],
    ]);
  });

  it('keeps a snapshot EC2 does not describe yet as it was, and reports no change when nothing changed', () => {
    // Prepare
    const once = applySnapshotStates(gateway, states([]), false);

    // Act
    const twice = applySnapshotStates(once.gateway, states([]), false);

    // Assess
    expect(once.pending).toBe(3);
    expect(twice.changed).toBe(false);
    expect(twice.gateway).toBe(once.gateway);
  });
});

describe('abandonWait', () => {
  it('turns every snapshot not known to be completed into a failure carrying the error, its ID and state', () => {
    // Prepare
    const checked = applySnapshotStates(gateway, states([['snap-1', 'completed']]), false).gateway;

    // Act
    const abandoned = abandonWait(checked, { Error: 'RequestLimitExceeded', Cause: 'slow down' });

    // Assess
    expect(abandoned.snapshots.map((s) => s.snapshotId)).toEqual(['snap-1']);
    expect(abandoned.failures.map((f) => [f.error, f.snapshotId, f.state, f.cause])).toEqual([
      ['RequestLimitExceeded', 'snap-2', 'pending', 'completion could not be checked: slow down'],
      ['RequestLimitExceeded', 'snap-3', 'pending', 'completion could not be checked: slow down'],
    ]);
    expect(abandonWait(abandoned, { Error: 'X' })).toBe(abandoned);
  });
});
