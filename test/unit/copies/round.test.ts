import { copiesToCheck, itemsToStart, roundResult, settle, sourcesToCheck } from '../../../src/copies/round.ts';
import type { CopyBook, CopyItem } from '../../../src/copies/types.ts';
import { COPY_ERROR, COPY_NOT_COMPLETED, COPY_SOURCE_FAILED } from '../../../src/errors.ts';

const item = (n: number, state: CopyItem['state'], extra: Partial<CopyItem> = {}): CopyItem => ({
  gatewayArn: 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-1',
  volumeArn: `arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-1/volume/vol-${n}`,
  recoveryPointTime: '2025-01-15T12:00:00.000Z',
  sourceSnapshotId: `snap-source-${n}`,
  state,
  ...extra,
});
const book = (items: CopyItem[]): CopyBook => ({
  destination: { key: 'eu-west-1.111122223333', region: 'eu-west-1', accountId: '111122223333', crossAccount: false },
  sourceRegion: 'us-east-1',
  rounds: 1,
  items,
});
const NOW = 1_000;
const LATER = 2_000;

describe('a round of copies', () => {
  it('asks the source Region only about sources it waits for, the destination only about copies in flight', () => {
    const b = book([
      item(1, 'waiting-source'),
      item(2, 'copying', { copySnapshotId: 'snap-copy-2' }),
      item(3, 'ready'),
    ]);

    expect(sourcesToCheck(b)).toEqual(['snap-source-1']);
    expect(copiesToCheck(b)).toEqual(['snap-copy-2']);
  });

  it('settles what EC2 shows and leaves alone what it does not show yet', () => {
    // Prepare
    const items = [
      item(1, 'waiting-source'),
      item(2, 'waiting-source'),
      item(3, 'waiting-source'),
      item(4, 'copying', { copySnapshotId: 'snap-copy-4' }),
      item(5, 'copying', { copySnapshotId: 'snap-copy-5' }),
      item(6, 'copying', { copySnapshotId: 'snap-copy-6' }),
    ];
    const facts = {
      sources: new Map([
        ['snap-source-1', 'completed'],
        ['snap-source-2', 'error'],
      ]),
      copies: new Map([
        ['snap-copy-4', 'completed'],
        ['snap-copy-5', 'error'],
      ]),
    };

    // Act
    const settled = settle(items, facts, NOW, LATER);

    // Assess
    expect(settled.map((i) => [i.state, i.error])).toEqual([
      ['ready', undefined],
      ['failed', COPY_SOURCE_FAILED],
      ['waiting-source', undefined],
      ['completed', undefined],
      ['failed', COPY_ERROR],
      ['copying', undefined],
    ]);
  });

  it('fails, past the time-out, every copy not settled, saying where each stood', () => {
    const items = [
      item(1, 'waiting-source'),
      item(2, 'ready'),
      item(3, 'copying', { copySnapshotId: 'snap-copy-3' }),
      item(4, 'completed'),
    ];

    const settled = settle(items, { sources: new Map(), copies: new Map() }, LATER, LATER);

    expect(settled.map((i) => i.error)).toEqual([
      COPY_NOT_COMPLETED,
      COPY_NOT_COMPLETED,
      COPY_NOT_COMPLETED,
      undefined,
    ]);
    expect(settled.map((i) => i.cause)).toEqual([
      "source snapshot snap-source-1 not completed when the copies' time-out passed",
      "no free copy slot when the copies' time-out passed",
      "copy snap-copy-3 still pending when the copies' time-out passed",
      undefined,
    ]);
  });

  it('starts only as many copies as the limit leaves beside those in flight', () => {
    const items = [
      item(1, 'copying', { copySnapshotId: 'snap-copy-1' }),
      item(2, 'ready'),
      item(3, 'ready'),
      item(4, 'ready'),
    ];

    expect(itemsToStart(items, 3).map((i) => i.sourceSnapshotId)).toEqual(['snap-source-2', 'snap-source-3']);
    expect(itemsToStart(items, 1)).toEqual([]);
  });

  it('is done only when nothing is left to wait for, start or watch', () => {
    expect(roundResult(book([item(1, 'completed'), item(2, 'failed')]), 0, false)).toEqual({
      key: 'eu-west-1.111122223333',
      done: true,
      waiting: 0,
      ready: 0,
      copying: 0,
      completed: 1,
      failed: 1,
      started: 0,
      limited: false,
    });
    expect(roundResult(book([item(1, 'completed'), item(2, 'ready')]), 1, true)).toMatchObject({
      done: false,
      ready: 1,
      started: 1,
      limited: true,
    });
  });
});
