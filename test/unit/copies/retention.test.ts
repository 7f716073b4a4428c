import { planCopyRetention } from '../../../src/copies/retention.ts';
import type { CopyItem } from '../../../src/copies/types.ts';

const VOLUME = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-1/volume/vol-1';
const OTHER = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-1/volume/vol-9';
const day = (d: number) => `2025-01-${String(d).padStart(2, '0')}T00:00:00.000Z`;
const copy = (id: string, d: number, extra: { volumeArn?: string; legalHold?: true; state?: string } = {}) => ({
  snapshotId: id,
  volumeArn: extra.volumeArn ?? VOLUME,
  recoveryPointTime: day(d),
  state: extra.state ?? 'completed',
  ...(extra.legalHold ? { legalHold: extra.legalHold } : {}),
});
const item: CopyItem = {
  gatewayArn: 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-1',
  volumeArn: VOLUME,
  recoveryPointTime: day(1),
  sourceSnapshotId: 'snap-source',
  state: 'completed',
  copySnapshotId: 'snap-run',
};

describe("retention of a destination's copies", () => {
  it("keeps what the policy and the safety rules keep, this run's copy above all, and deletes the rest", () => {
    // Act: the run's copy holds an older point than the newest copy, which keepLast keeps.
    const plan = planCopyRetention(
      [copy('snap-new', 10), copy('snap-run', 1), copy('snap-old', 5), copy('snap-held', 3, { legalHold: true })],
      [item],
      { keepLast: 1, timeZone: 'UTC' },
      Date.parse(day(11)),
    );

    // Assess
    expect(plan).toEqual({ deletions: ['snap-old'], kept: 3, cursor: 0, deleted: 0, failed: [] });
  });

  it('leaves alone copies of volumes this run does not copy', () => {
    const plan = planCopyRetention(
      [copy('snap-a', 10, { volumeArn: OTHER }), copy('snap-b', 9, { volumeArn: OTHER })],
      [item],
      { keepLast: 1, timeZone: 'UTC' },
      Date.parse(day(11)),
    );

    expect(plan.deletions).toEqual([]);
  });
});
