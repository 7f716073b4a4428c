import { planCopies } from '../../../src/copies/plan.ts';
import { copiesTable, withCopies } from '../../../src/copies/report.ts';
import type { CopyItem } from '../../../src/copies/types.ts';
import { COPY_DESTINATION_FAILED, COPY_ERROR } from '../../../src/errors.ts';
import { buildReport } from '../../../src/report/execution-report.ts';
import type { GatewayReport } from '../../../src/report/gateway-report.ts';

const GATEWAY = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-1';
const volume = (n: number) => `${GATEWAY}/volume/vol-${n}`;
const POINT = '2025-01-15T12:00:00.000Z';
const gateway: GatewayReport = {
  gatewayArn: GATEWAY,
  recoveryPoints: 3,
  selected: 2,
  snapshots: [
    {
      gatewayArn: GATEWAY,
      volumeArn: volume(1),
      recoveryPointTime: POINT,
      snapshotId: 'snap-1',
      status: 'created',
      sizeBytes: 1,
      state: 'completed',
    },
    {
      gatewayArn: GATEWAY,
      volumeArn: volume(2),
      recoveryPointTime: POINT,
      snapshotId: 'snap-2',
      status: 'created',
      sizeBytes: 1,
    },
  ],
  skipped: [{ gatewayArn: GATEWAY, volumeArn: volume(3), recoveryPointTime: POINT, sizeBytes: 1, reason: 'too-new' }],
  failures: [],
  earlierSnapshots: [],
};
const EU = { key: 'eu-west-1.111122223333', region: 'eu-west-1', accountId: '111122223333' };
const US = { key: 'us-west-2.444455556666', region: 'us-west-2', accountId: '444455556666' };
const report = buildReport({ execution: { id: 'x', name: 'x', startTime: POINT }, dryRun: false, gateways: [gateway] });

describe('planning copies', () => {
  it('gives every volume with a snapshot an item per destination, ready when its source is known completed', () => {
    const books = planCopies([gateway], [{ region: 'eu-west-1' }, { region: 'us-west-2', accountId: '444455556666' }], {
      ownAccountId: '111122223333',
      sourceRegion: 'us-east-1',
    });

    expect(books.map((b) => b.destination)).toEqual([
      { ...EU, crossAccount: false },
      { ...US, crossAccount: true },
    ]);
    expect(books[0]?.items.map((i) => [i.sourceSnapshotId, i.state])).toEqual([
      ['snap-1', 'ready'],
      ['snap-2', 'waiting-source'],
    ]);
    expect(books[1]?.items).toEqual(books[0]?.items);
  });
});

describe('the copies in the report', () => {
  const done = (n: number, copy: string): CopyItem => ({
    gatewayArn: GATEWAY,
    volumeArn: volume(n),
    recoveryPointTime: POINT,
    sourceSnapshotId: `snap-${n}`,
    state: 'completed',
    copySnapshotId: copy,
    status: 'created',
  });

  it("lists each volume's copies and fails only the volume and destination whose copy is not usable", () => {
    // Act
    const copied = withCopies(report, [
      {
        destination: EU,
        items: [
          done(1, 'snap-eu-1'),
          { ...done(2, 'snap-eu-2'), state: 'failed', error: COPY_ERROR, cause: 'copy snap-eu-2 ended in error' },
        ],
      },
      { destination: US, items: [done(1, 'snap-us-1'), done(2, 'snap-us-2')] },
    ]);

    // Assess
    const volumes = copied.manifest[0]?.volumes ?? [];
    expect(volumes.map((v) => [v.snapshotId, v.copies])).toEqual([
      [
        'snap-1',
        [
          { region: 'eu-west-1', accountId: '111122223333', snapshotId: 'snap-eu-1', state: 'completed' },
          { region: 'us-west-2', accountId: '444455556666', snapshotId: 'snap-us-1', state: 'completed' },
        ],
      ],
      [
        'snap-2',
        [
          { region: 'eu-west-1', accountId: '111122223333', snapshotId: 'snap-eu-2', state: 'failed' },
          { region: 'us-west-2', accountId: '444455556666', snapshotId: 'snap-us-2', state: 'completed' },
        ],
      ],
      [null, undefined],
    ]);
    expect(copied.failures).toEqual([
      expect.objectContaining({
        volumeArn: volume(2),
        error: COPY_ERROR,
        snapshotId: 'snap-eu-2',
        copyDestination: EU.key,
        cause: 'copy of snap-2 to eu-west-1 (account 111122223333): copy snap-eu-2 ended in error',
      }),
    ]);
    expect(copied.summary).toMatchObject({ failed: 1, copies: { destinations: 2, completed: 3, failed: 1 } });
  });

  it('fails every copy of a destination that stopped, or has no book, with the cause that stopped it', () => {
    const copied = withCopies(report, [
      { destination: EU, items: [done(1, 'snap-eu-1')], failure: { Error: 'AccessDenied', Cause: 'not allowed' } },
      { destination: US, failure: { Error: 'CopiesNotPlanned', Cause: 'no book' } },
    ]);

    expect(copied.failures.map((f) => [f.volumeArn, f.copyDestination, f.error, f.cause])).toEqual([
      [
        volume(1),
        US.key,
        COPY_DESTINATION_FAILED,
        'copy of snap-1 to us-west-2 (account 444455556666): CopiesNotPlanned: no book',
      ],
      [
        volume(2),
        EU.key,
        COPY_DESTINATION_FAILED,
        'copy of snap-2 to eu-west-1 (account 111122223333): AccessDenied: not allowed',
      ],
      [
        volume(2),
        US.key,
        COPY_DESTINATION_FAILED,
        'copy of snap-2 to us-west-2 (account 444455556666): CopiesNotPlanned: no book',
      ],
    ]);
  });
});

describe('the copies table of the drill report and the CLI', () => {
  it('shows per volume a usable copy by its ID and any other as MISSING, one column per destination', () => {
    // Prepare
    const copied = withCopies(report, [
      {
        destination: EU,
        items: [
          {
            gatewayArn: GATEWAY,
            volumeArn: volume(1),
            recoveryPointTime: POINT,
            sourceSnapshotId: 'snap-1',
            state: 'completed',
            copySnapshotId: 'snap-eu-1',
          },
          {
            gatewayArn: GATEWAY,
            volumeArn: volume(2),
            recoveryPointTime: POINT,
            sourceSnapshotId: 'snap-2',
            state: 'failed',
            copySnapshotId: 'snap-eu-2',
          },
        ],
      },
    ]);

    // Act
    const table = copiesTable(copied.manifest);

    // Assess
    expect(table).toEqual({
      destinations: ['eu-west-1 111122223333'],
      rows: [
        { gatewayId: 'sgw-1', volumeId: 'vol-1', cells: ['snap-eu-1'], failed: false },
        { gatewayId: 'sgw-1', volumeId: 'vol-2', cells: ['MISSING (snap-eu-2 failed)'], failed: true },
      ],
    });
    expect(copiesTable(report.manifest)).toBeUndefined();
  });
});
