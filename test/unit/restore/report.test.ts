import { RESTORE_TIMED_OUT } from '../../../src/errors.ts';
import { buildRestoreReport, restoreDigestOf, restoreFailed } from '../../../src/restore/report.ts';
import type { RestoreItem, RestoreOutcome, RestoreReportSource } from '../../../src/restore/types.ts';
import { EXECUTION, GATEWAY_A, GIB, OPTIONS, volume } from './fixtures.ts';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const execution = { id: EXECUTION, name: 'drill-1', startTime: new Date(NOW - 600_000).toISOString() };
const item = (id: string): RestoreItem => ({
  sourceVolumeArn: volume(GATEWAY_A, id),
  sourceGatewayArn: GATEWAY_A,
  snapshotId: `snap-${id.slice(4).toLowerCase()}`,
  sizeBytes: 100 * GIB,
  targetName: `restoretest-${id.toLowerCase()}`,
  clientToken: 'x'.repeat(64),
});
const created = {
  volumeId: 'arn:restored',
  status: 'created' as const,
  requestedAt: new Date(NOW - 300_000).toISOString(),
};
const restored = (id: string, rtoMs: number): RestoreOutcome => ({
  item: item(id),
  options: OPTIONS,
  execution,
  created,
  check: { phase: 'usable', status: 'AVAILABLE', checkedAt: new Date(NOW).toISOString(), rtoMs },
  cleanup: { deleted: 'arn:restored', deletedAt: new Date(NOW).toISOString() },
});
const request = (
  outcomes: RestoreOutcome[] | undefined,
  extra: Partial<RestoreReportSource> = {},
): RestoreReportSource => ({
  options: { ...OPTIONS, rtoTargetMinutes: 4 },
  execution,
  items: [item('vol-0000000A'), item('vol-0000000C')],
  notRestorable: [],
  preflight: { ok: true, problems: [] },
  ...(outcomes ? { outcomes } : {}),
  ...extra,
});

describe('buildRestoreReport', () => {
  it('gives each volume its restored volume, RTO against the target and cleanup', () => {
    // Act
    const report = buildRestoreReport(
      request([restored('vol-0000000A', 180_000), restored('vol-0000000C', 300_000)]),
      NOW,
    );

    // Assess
    expect(report.volumes.map((v) => [v.state, v.rtoMs, v.rtoMet, v.cleanup?.deleted])).toEqual([
      ['restored', 180_000, true, 'arn:restored'],
      ['restored', 300_000, false, 'arn:restored'],
    ]);
    expect(report.summary).toMatchObject({
      restored: 2,
      failed: 0,
      cleanedUp: 2,
      leftBehind: 0,
      slowestRtoMs: 300_000,
      overRto: 1,
    });
    expect(report.volumes[0]?.targetName).toBe('restoretest-vol-0000000a');
    expect(restoreFailed(report)).toBe(false);
  });

  it('fails on a failed volume, one left behind by a test, or a preflight problem, and lists planned volumes when none was made', () => {
    // Prepare
    const timedOut: RestoreOutcome = {
      item: item('vol-0000000A'),
      options: OPTIONS,
      execution,
      created,
      failure: { Error: RESTORE_TIMED_OUT, Cause: 'still CREATING' },
      cleanupFailure: { Error: 'AccessDenied' },
    };

    // Act
    const failed = buildRestoreReport(request([timedOut]), NOW);
    const blocked = buildRestoreReport(
      request(undefined, { preflight: { ok: false, problems: [{ check: 'cache', subject: 'x', message: 'full' }] } }),
      NOW,
    );

    // Assess
    expect(failed.volumes[0]).toMatchObject({ state: 'failed', cleanup: { failure: { Error: 'AccessDenied' } } });
    expect(failed.summary).toMatchObject({ failed: 1, leftBehind: 1 });
    expect(restoreFailed(failed)).toBe(true);
    expect(blocked.volumes.map((v) => v.state)).toEqual(['planned', 'planned']);
    expect(restoreFailed(blocked)).toBe(true);
    expect(restoreDigestOf(blocked, 's3://b/k').evidence).toEqual({ report: 's3://b/k' });
  });

  it('fails on a volume asked for by name that is not restorable, not on one the policy skipped', () => {
    // Prepare
    const skipped = { sourceVolumeArn: 'v', sourceGatewayArn: 'g', reason: 'no snapshot' };

    // Act
    const policy = buildRestoreReport(request([], { notRestorable: [skipped] }), NOW);
    const asked = buildRestoreReport(request([], { notRestorable: [{ ...skipped, requested: true }] }), NOW);

    // Assess
    expect(restoreFailed(policy)).toBe(false);
    expect(restoreFailed(asked)).toBe(true);
  });
});
