import type { RetentionPolicy } from '../../../src/input/schema.ts';
import { MAX_ARCHIVES_PER_GATEWAY, planArchive } from '../../../src/retention/archive.ts';
import { planRetention } from '../../../src/retention/policy.ts';
import { volumeArn } from '../../helpers/fixtures.ts';
import { history } from '../../helpers/retention-history.ts';

const END = Date.UTC(2026, 10, 29, 18);
const VOLUME = volumeArn('vol-1122AABB');
const POLICY: RetentionPolicy = {
  keepLast: 4,
  keepDaily: 7,
  keepWeekly: 4,
  keepMonthly: 12,
  keepYearly: 3,
  timeZone: 'UTC',
};

function decisions() {
  return planRetention(history({ end: END, days: 365, everyHours: 6 }), POLICY, {
    now: END,
    inRunManifest: new Set(),
    inScope: () => true,
    existingVolumes: new Set([VOLUME]),
  });
}

describe('planArchive', () => {
  it('archives only snapshots the monthly and yearly tiers alone keep, old enough, where the full copy’s 90 days or more cost less than the blocks freed', () => {
    // Act
    const all = decisions();
    const chosen = planArchive(all, new Set(), POLICY, { afterDays: 30, uniqueShare: 0.5 }, END);

    // Assess
    const byId = new Map(all.map((d) => [d.snapshotId, d]));
    expect(chosen.length).toBeGreaterThan(5);
    for (const c of chosen) {
      const d = byId.get(c.snapshotId);
      expect(d?.guards).toEqual([]);
      expect(d?.rules.every((r) => r === 'monthly' || r === 'yearly')).toBe(true);
      expect(END - Date.parse(c.recoveryPointTime)).toBeGreaterThanOrEqual(30 * 86_400_000);
      const left = Number(/~(\d+) days left/.exec(c.reason)?.[1]);
      expect(0.5 * 0.05 * left).toBeGreaterThan(0.0125 * Math.max(left, 90));
    }
    expect(chosen.map((c) => c.recoveryPointTime)).toEqual([...chosen.map((c) => c.recoveryPointTime)].sort());
  });

  it('archives nothing when a snapshot holds too little of its own to pay for a full copy, or is archived already', () => {
    const all = decisions();
    const every = planArchive(all, new Set(), POLICY, { afterDays: 30, uniqueShare: 0.5 }, END);

    expect(planArchive(all, new Set(), POLICY, { afterDays: 30, uniqueShare: 0.25 }, END)).toEqual([]);
    expect(
      planArchive(all, new Set(every.map((c) => c.snapshotId)), POLICY, { afterDays: 30, uniqueShare: 0.5 }, END),
    ).toEqual([]);
  });

  it('archives at most its share per gateway, oldest first', () => {
    const many = [1, 2, 3, 4].flatMap((n) =>
      planRetention(history({ volumeId: `vol-1122AAB${n}`, end: END, days: 365, everyHours: 24 }), POLICY, {
        now: END,
        inRunManifest: new Set(),
        inScope: () => true,
        existingVolumes: new Set(),
      }),
    );

    const chosen = planArchive(many, new Set(), POLICY, { afterDays: 1, uniqueShare: 1 }, END);

    expect(chosen).toHaveLength(MAX_ARCHIVES_PER_GATEWAY);
  });
});
