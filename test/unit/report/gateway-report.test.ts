import {
  gatewayCounts,
  gatewayReportOf,
  manifestOf,
  nameFailedSnapshots,
  showsUnnamedSnapshots,
} from '../../../src/report/gateway-report.ts';
import { GATEWAY_ARN, OTHER_GATEWAY_ARN, volumeArn } from '../../helpers/fixtures.ts';
import { created, earlier, failed, iteration, listing, TIME } from '../../helpers/report.ts';

describe('gatewayReportOf', () => {
  it('accounts for every point once: created, skipped and failed, with full ARNs and readable causes', () => {
    // Prepare
    const listed = listing(['vol-1', 'vol-2'], ['vol-3']);
    const cause = JSON.stringify({ errorType: 'InternalServerError', errorMessage: 'boom', trace: ['at x'] });

    // Act
    const report = gatewayReportOf(
      iteration({ listed, outcomes: [created('vol-1'), failed('vol-2', 'InternalServerError', cause)] }),
    );

    // Assess
    expect(report.snapshots.map((s) => [s.volumeArn, s.snapshotId, s.status])).toEqual([
      [volumeArn('vol-1'), 'snap-1', 'created'],
    ]);
    expect(report.skipped.map((s) => [s.volumeArn, s.reason])).toEqual([[volumeArn('vol-3'), 'too-new']]);
    expect(report.failures).toEqual([
      {
        gatewayArn: GATEWAY_ARN,
        volumeArn: volumeArn('vol-2'),
        recoveryPointTime: expect.any(String),
        sizeBytes: 1_000,
        error: 'InternalServerError',
        cause: 'boom',
      },
    ]);
    expect(gatewayCounts(report)).toMatchObject({ recoveryPoints: 3, selected: 2, created: 1, skipped: 1, failed: 1 });
  });

  it('lists every selected point as would-create in a dry run', () => {
    // Act
    const report = gatewayReportOf(iteration({ listed: listing(['vol-1', 'vol-2']) }, true));

    // Assess
    expect(report.snapshots.map((s) => s.status)).toEqual(['would-create', 'would-create']);
    expect(gatewayCounts(report).wouldCreate).toBe(2);
    expect(manifestOf(report).volumes.map((v) => v.reason)).toEqual(['would-create', 'would-create']);
  });

  it('counts a gateway whose listing failed as one failure without a volume', () => {
    // Act
    const report = gatewayReportOf(iteration({ listFailure: { Error: 'InvalidGatewayRequestException' } }));

    // Assess
    expect(report.failures).toEqual([{ gatewayArn: GATEWAY_ARN, error: 'InvalidGatewayRequestException', cause: '' }]);
    expect(gatewayCounts(report).failed).toBe(1);
    expect(manifestOf(report)).toEqual({
      gatewayArn: GATEWAY_ARN,
      volumes: [],
      error: 'InvalidGatewayRequestException',
    });
  });
});

describe('manifestOf', () => {
  it('names for every volume in scope the newest usable snapshot, wherever it came from, or null and why', () => {
    // Prepare: vol-1 created now, vol-2 failed with an older snapshot, vol-3 too new with none,
    // vol-4 already snapshotted, vol-5 excluded (not in the manifest), vol-6 failed with only an error snapshot.
    const listed = listing(
      ['vol-1', 'vol-2', 'vol-6'],
      ['vol-3'],
      [earlier('vol-1'), earlier('vol-2'), earlier('vol-4')],
    );
    listed.skipped.push(
      {
        volumeArn: volumeArn('vol-4'),
        recoveryPointTime: '2025-01-14T11:00:00.000Z',
        sizeBytes: 7,
        reason: 'already-snapshotted',
        snapshotId: 'snap-old-4',
      } as never,
      {
        volumeArn: volumeArn('vol-5'),
        recoveryPointTime: '2025-01-15T11:00:00.000Z',
        sizeBytes: 7,
        reason: 'excluded',
      } as never,
    );
    const report = gatewayReportOf(
      iteration({
        listed,
        outcomes: [
          created('vol-1'),
          failed('vol-2', 'InternalServerError', 'x'),
          failed('vol-6', 'SnapshotError', 'y'),
        ],
      }),
    );

    // Act
    const manifest = manifestOf(report, 'London DC');

    // Assess
    expect(manifest.gatewayName).toBe('London DC');
    expect(manifest.volumes.map((v) => [v.volumeArn.slice(-5), v.snapshotId, v.source ?? v.reason])).toEqual([
      ['vol-1', 'snap-1', 'created'],
      ['vol-2', 'snap-old-2', 'earlier-run'],
      ['vol-3', null, 'too-new'],
      ['vol-4', 'snap-old-4', 'existing'],
      ['vol-6', null, 'SnapshotError'],
    ]);
    expect(manifest.volumes[1]).toMatchObject({ sizeBytes: 1_000, state: 'completed' });
  });

  it('never restores from a snapshot that ended in error', () => {
    // Prepare
    const report = gatewayReportOf(iteration({ listed: listing(['vol-1']), outcomes: [created('vol-1')] }));
    const errored = { ...report, snapshots: report.snapshots.map((s) => ({ ...s, state: 'error' })) };

    // Act
    const manifest = manifestOf(errored);

    // Assess
    expect(manifest.volumes).toEqual([
      { volumeArn: volumeArn('vol-1'), snapshotId: null, sizeBytes: 1_000, reason: 'snapshot error' },
    ]);
  });
});

describe('nameFailedSnapshots', () => {
  it("gives a failed volume this run's snapshot of it, and leaves the others alone", () => {
    // Prepare
    const report = gatewayReportOf(
      iteration({
        listed: listing(['vol-1', 'vol-2', 'vol-3']),
        outcomes: [created('vol-1'), failed('vol-2', 'InternalServerError', 'x'), failed('vol-3', 'TimeoutError', 'y')],
      }),
    );
    const madeByThisRun = [{ ...earlier('vol-2', 'pending'), snapshotId: 'snap-made-2', recoveryPointTime: TIME }];

    // Act
    const named = nameFailedSnapshots(report, madeByThisRun);

    // Assess
    expect(named.failures.map((f) => [f.volumeArn, f.snapshotId, f.state])).toEqual([
      [volumeArn('vol-2'), 'snap-made-2', 'pending'],
      [volumeArn('vol-3'), undefined, undefined],
    ]);
    expect(nameFailedSnapshots(named, []).failures).toEqual(named.failures);
  });
});

describe('showsUnnamedSnapshots', () => {
  const report = gatewayReportOf(
    iteration({
      listed: listing(['vol-1', 'vol-2', 'vol-3']),
      outcomes: [
        created('vol-1'),
        failed('vol-2', 'States.Timeout', 'the Task timed out'),
        failed('vol-3', 'InvalidGatewayRequestException', 'refused'),
      ],
    }),
  );
  const made = (volumeId: string, gatewayArn = GATEWAY_ARN) => ({
    ...earlier(volumeId, 'pending', gatewayArn),
    snapshotId: `snap-made-${volumeId}`,
  });

  it('holds once EC2 shows a snapshot for each volume whose step ended unanswered, not for one the service refused', () => {
    // Act + Assess: vol-2's step timed out, and may have made one; vol-3's create was refused and made none.
    expect(showsUnnamedSnapshots([], [], [report])).toBe(false);
    expect(showsUnnamedSnapshots([made('vol-2')], [], [report])).toBe(true);
  });

  it('holds once EC2 shows a snapshot on each gateway that wrote no evidence', () => {
    // Act + Assess
    expect(showsUnnamedSnapshots([made('vol-2')], [OTHER_GATEWAY_ARN], [report])).toBe(false);
    expect(
      showsUnnamedSnapshots([made('vol-2'), made('vol-9', OTHER_GATEWAY_ARN)], [OTHER_GATEWAY_ARN], [report]),
    ).toBe(true);
  });
});
