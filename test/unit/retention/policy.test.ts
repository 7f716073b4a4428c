import fc from 'fast-check';
import type { RetentionPolicy } from '../../../src/input/schema.ts';
import { type CALENDAR_PERIODS, calendarKeys } from '../../../src/retention/calendar.ts';
import {
  GUARDS,
  planRetention,
  type RetentionCandidate,
  type RetentionContext,
  type RetentionDecision,
} from '../../../src/retention/policy.ts';
import { volumeArn } from '../../helpers/fixtures.ts';
import { history } from '../../helpers/retention-history.ts';

const DAY = 86_400_000;
/** 2026-11-29T18:00:00Z: a year back crosses both of Berlin's and New York's daylight-saving changes. */
const END = Date.UTC(2026, 10, 29, 18);
const NOW = END + 3_600_000;
const VOLUME = volumeArn('vol-1122AABB');

function policyOf(fields: Partial<RetentionPolicy>): RetentionPolicy {
  return { timeZone: 'UTC', ...fields };
}

function contextOf(fields: Partial<RetentionContext> = {}): RetentionContext {
  return {
    now: NOW,
    inRunManifest: new Set(),
    inScope: () => true,
    existingVolumes: new Set([VOLUME, volumeArn('vol-2233BBCC')]),
    ...fields,
  };
}

/**
 * What the rules define, written the other way round from the code: for each rule with count N, the N newest
 * periods that hold a completed snapshot younger than maxAgeDays each keep their newest snapshot (for keepLast, a
 * period is one snapshot).
 */
function expectedKept(snapshots: readonly RetentionCandidate[], policy: RetentionPolicy): Map<string, string[]> {
  const oldest = policy.maxAgeDays === undefined ? -Infinity : NOW - policy.maxAgeDays * DAY;
  const usable = snapshots
    .filter((s) => s.state === 'completed' && Date.parse(s.recoveryPointTime) >= oldest)
    .sort((a, b) => Date.parse(b.recoveryPointTime) - Date.parse(a.recoveryPointTime));
  const kept = new Map<string, string[]>();
  const add = (id: string, rule: string) => kept.set(id, [...(kept.get(id) ?? []), rule]);
  const counts = {
    last: policy.keepLast,
    hourly: policy.keepHourly,
    daily: policy.keepDaily,
    weekly: policy.keepWeekly,
    monthly: policy.keepMonthly,
    yearly: policy.keepYearly,
  };
  if (Object.values(counts).every((n) => n === undefined)) {
    for (const s of usable) add(s.snapshotId, 'within-max-age');
    return kept;
  }
  for (const [rule, count] of Object.entries(counts)) {
    if (count === undefined) continue;
    const newestOfPeriod = new Map<string, string>();
    for (const s of usable) {
      const period =
        rule === 'last'
          ? s.snapshotId
          : calendarKeys(Date.parse(s.recoveryPointTime), policy.timeZone)[rule as (typeof CALENDAR_PERIODS)[number]];
      if (!newestOfPeriod.has(period)) newestOfPeriod.set(period, s.snapshotId);
    }
    for (const id of [...newestOfPeriod.values()].slice(0, count)) add(id, rule);
  }
  return kept;
}

function keptByRules(decisions: readonly RetentionDecision[]): Map<string, string[]> {
  return new Map(decisions.filter((d) => d.rules.length).map((d) => [d.snapshotId, d.rules]));
}

const DEFAULTISH = { keepLast: 4, keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepYearly: 3 };

describe('planRetention', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'])(
    'keeps exactly what the rules define over a year of 6-hourly snapshots with gaps, in %s',
    (timeZone) => {
      // Prepare: one snapshot in seven missing, and a whole missing week in March.
      const snapshots = history({
        end: END,
        days: 365,
        everyHours: 6,
        missing: (i) => i % 7 === 3 || (i >= 1000 && i < 1028),
      });
      const policy = policyOf({ ...DEFAULTISH, keepHourly: 30, timeZone });

      // Act
      const decisions = planRetention(snapshots, policy, contextOf());

      // Assess
      expect(keptByRules(decisions)).toEqual(expectedKept(snapshots, policy));
      const kept = decisions.filter((d) => d.action === 'keep');
      expect(kept.length).toBeGreaterThan(40);
      expect(kept.length).toBeLessThan(70);
      expect(decisions).toHaveLength(snapshots.length);
      for (const d of decisions) expect(d.action === 'keep').toBe(d.rules.length > 0 || d.guards.length > 0);
    },
  );

  it('tells which rules keep each snapshot, in restic order, and why the others go', () => {
    // Prepare: daily snapshots for ten days, the newest at END.
    const snapshots = history({ end: END, days: 10, everyHours: 24 });

    // Act
    const decisions = planRetention(snapshots, policyOf({ keepLast: 2, keepDaily: 3, maxAgeDays: 8.5 }), contextOf());

    // Assess
    expect(decisions.map((d) => [d.rules, d.guards, d.deleteReason])).toEqual([
      [['last', 'daily'], ['newest-completed'], undefined],
      [['last', 'daily'], [], undefined],
      [['daily'], [], undefined],
      ...Array.from({ length: 6 }, () => [[], [], 'no-rule']),
      [[], [], 'older-than-max-age'],
    ]);
  });

  it('keeps every snapshot younger than maxAgeDays when it is the only rule', () => {
    const snapshots = history({ end: END, days: 30, everyHours: 24 });

    const decisions = planRetention(snapshots, policyOf({ maxAgeDays: 10 }), contextOf());

    expect(decisions.filter((d) => d.action === 'keep')).toHaveLength(10);
    expect(decisions.filter((d) => d.deleteReason === 'older-than-max-age')).toHaveLength(20);
  });

  it('keeps the newest completed snapshot even when maxAgeDays has passed it, and never counts pending ones', () => {
    // Prepare: the newest is pending; the next is completed but older than the age limit.
    const [pending, old, older] = history({ end: END - 40 * DAY, days: 3, everyHours: 24 }) as [
      RetentionCandidate,
      RetentionCandidate,
      RetentionCandidate,
    ];
    const snapshots = [{ ...pending, recoveryPointTime: new Date(END).toISOString(), state: 'pending' }, old, older];

    // Act
    const decisions = planRetention(snapshots, policyOf({ keepLast: 1, maxAgeDays: 30 }), contextOf());

    // Assess
    expect(decisions.map((d) => [d.snapshotId, d.action, d.guards])).toEqual([
      [pending.snapshotId, 'keep', ['not-completed']],
      [old.snapshotId, 'keep', ['newest-completed']],
      [older.snapshotId, 'delete', []],
    ]);
  });

  it('marks the snapshots of a volume its gateway no longer lists, and still keeps its newest', () => {
    const snapshots = history({ volumeId: 'vol-9988FFEE', end: END - 100 * DAY, days: 20, everyHours: 24 });

    const decisions = planRetention(snapshots, policyOf({ keepDaily: 3, maxAgeDays: 30 }), contextOf());

    expect(decisions.every((d) => d.volumeGone)).toBe(true);
    expect(decisions.filter((d) => d.action === 'keep').map((d) => d.guards)).toEqual([['newest-completed']]);
  });

  it('keeps snapshots whose tags it cannot read, and those of volumes out of scope', () => {
    // Prepare
    const [a, b, c] = history({ end: END - 10 * DAY, days: 3, everyHours: 24 }) as RetentionCandidate[];
    const other = history({ volumeId: 'vol-2233BBCC', end: END - 10 * DAY, days: 3, everyHours: 24 });
    const snapshots = [
      { ...a, volumeArn: '' },
      { ...(b as RetentionCandidate), recoveryPointTime: 'yesterday' },
      c,
      ...other,
    ];

    // Act
    const decisions = planRetention(
      snapshots as RetentionCandidate[],
      policyOf({ keepLast: 1, maxAgeDays: 1 }),
      contextOf({ inScope: (arn) => arn !== volumeArn('vol-2233BBCC') }),
    );

    // Assess
    const guards = new Map(decisions.map((d) => [d.snapshotId, d.guards]));
    expect(guards.get(a?.snapshotId ?? '')).toEqual(['not-ours']);
    expect(guards.get(b?.snapshotId ?? '')).toEqual(['not-ours']);
    expect(decisions.filter((d) => d.volumeArn === volumeArn('vol-2233BBCC')).map((d) => d.action)).toEqual([
      'keep',
      'keep',
      'keep',
    ]);
  });

  describe('safety rules hold for every history and policy (property)', () => {
    const candidate = fc.record({
      hoursBeforeEnd: fc.integer({ min: 0, max: 24 * 400 }),
      volume: fc.constantFrom('vol-1122AABB', 'vol-2233BBCC', 'vol-3344CCDD'),
      state: fc.constantFrom('completed', 'completed', 'completed', 'pending', 'error'),
      legalHold: fc.boolean(),
      lockState: fc.constantFrom(undefined, undefined, 'governance', 'compliance', 'compliance-cooloff', 'expired'),
      inManifest: fc.boolean(),
    });
    const count = fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined });
    const policy = fc.record({
      keepLast: count,
      keepHourly: count,
      keepDaily: count,
      keepWeekly: count,
      keepMonthly: count,
      keepYearly: count,
      maxAgeDays: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
      timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
    });

    it('never deletes a guarded snapshot, and keeps the set the rules define', () => {
      fc.assert(
        fc.property(fc.array(candidate, { maxLength: 80 }), policy, fc.boolean(), (drawn, rawPolicy, scoped) => {
          // Prepare
          const policyUsed = Object.fromEntries(
            Object.entries(rawPolicy).filter(([, v]) => v !== undefined),
          ) as RetentionPolicy;
          const snapshots: RetentionCandidate[] = drawn.map((d, i) => ({
            snapshotId: `snap-${String(i).padStart(5, '0')}`,
            volumeArn: volumeArn(d.volume),
            recoveryPointTime: new Date(END - d.hoursBeforeEnd * 3_600_000).toISOString(),
            state: d.state,
            legalHold: d.legalHold,
            ...(d.lockState ? { lockState: d.lockState } : {}),
          }));
          const manifest = new Set(snapshots.filter((_, i) => drawn[i]?.inManifest).map((s) => s.snapshotId));
          const outOfScope = volumeArn('vol-3344CCDD');
          const context = contextOf({ inRunManifest: manifest, inScope: (arn) => !scoped || arn !== outOfScope });

          // Act
          const decisions = planRetention(snapshots, policyUsed, context);

          // Assess
          const deleted = new Set(decisions.filter((d) => d.action === 'delete').map((d) => d.snapshotId));
          for (const s of snapshots) {
            if (!deleted.has(s.snapshotId)) continue;
            expect(s.state).toBe('completed');
            expect(s.legalHold).toBe(false);
            expect(['governance', 'compliance', 'compliance-cooloff']).not.toContain(s.lockState);
            expect(manifest.has(s.snapshotId)).toBe(false);
            expect(scoped && s.volumeArn === outOfScope).toBe(false);
          }
          for (const volume of new Set(snapshots.map((s) => s.volumeArn))) {
            const completed = snapshots
              .filter((s) => s.volumeArn === volume && s.state === 'completed')
              .sort(
                (a, b) =>
                  b.recoveryPointTime.localeCompare(a.recoveryPointTime) || a.snapshotId.localeCompare(b.snapshotId),
              );
            if (completed[0]) expect(deleted.has(completed[0].snapshotId)).toBe(false);
            const ofVolume = snapshots.filter((s) => s.volumeArn === volume);
            const rules = keptByRules(decisions.filter((d) => d.volumeArn === volume));
            expect(rules).toEqual(expectedKept(ofVolume, policyUsed));
          }
          expect(decisions).toHaveLength(snapshots.length);
          for (const d of decisions) {
            expect(d.guards).toEqual(GUARDS.filter((g) => d.guards.includes(g)));
          }
        }),
        { numRuns: 300, seed: 12 },
      );
    });
  });
});
