import type { RetentionPolicy } from '../input/schema.ts';
import { type CalendarPeriod, calendarKeys } from './calendar.ts';

/**
 * A rule of the policy that keeps a snapshot, named as restic's `forget` reports it: `last` (keepLast), a
 * calendar tier, or `within-max-age` (a policy with `maxAgeDays` and no count keeps everything younger).
 */
export type KeepRule = 'last' | CalendarPeriod | 'within-max-age';

/**
 * A safety rule no policy overrides, checked in this order:
 * - `not-ours`: the snapshot lacks our volume or recovery-point tag, or its time does not read;
 * - `out-of-scope`: its volume is excluded from this run (`volumeArns`, `excludeVolumeArns`);
 * - `not-completed`: it is `pending` or `error`: only completed snapshots are pruned;
 * - `in-run-manifest`: this run's manifest names it (what to restore from);
 * - `newest-completed`: the newest completed snapshot of its volume;
 * - `legal-hold`: it carries the legal-hold tag (`LEGAL_HOLD_TAG`), whatever the value;
 * - `locked`: EBS snapshot lock holds it (governance, compliance or compliance cool-off).
 */
export const GUARDS = [
  'not-ours',
  'out-of-scope',
  'not-completed',
  'in-run-manifest',
  'newest-completed',
  'legal-hold',
  'locked',
] as const;
export type Guard = (typeof GUARDS)[number];

/** The lock states of `DescribeLockedSnapshots` in which EC2 refuses to delete the snapshot; `expired` is not one. */
export const LOCKED_STATES: readonly string[] = ['governance', 'compliance', 'compliance-cooloff'];

/** One snapshot of ours as retention sees it. */
export interface RetentionCandidate {
  snapshotId: string;
  /** From our volume tag; empty when the tag is missing. */
  volumeArn: string;
  /** From our recovery-point tag: the time the snapshot holds, the time the tiers count. */
  recoveryPointTime: string;
  /** EC2's state: pending, completed, error. */
  state: string;
  legalHold: boolean;
  /** `DescribeLockedSnapshots`' lock state, if the snapshot was ever locked. */
  lockState?: string;
}

/** What the plan needs besides the snapshots; `now` is the run's start, so every round of a run plans alike. */
export interface RetentionContext {
  now: number;
  /** The snapshot IDs of this run's manifest. */
  inRunManifest: ReadonlySet<string>;
  /** Whether the run's input puts the volume in scope. */
  inScope(volumeArn: string): boolean;
  /** The volumes the gateway lists now; a snapshot of any other volume is of a volume gone from its gateway. */
  existingVolumes: ReadonlySet<string>;
}

/** What retention does with one snapshot, and why. */
export interface RetentionDecision {
  snapshotId: string;
  volumeArn: string;
  recoveryPointTime: string;
  action: 'keep' | 'delete';
  /** The policy's rules that keep it, in restic's order. */
  rules: KeepRule[];
  /** The safety rules that keep it, in {@link GUARDS} order. */
  guards: Guard[];
  /** Why it goes: `older-than-max-age`, or `no-rule` (no rule keeps it). */
  deleteReason?: 'older-than-max-age' | 'no-rule';
  /** Its volume is no longer on its gateway. */
  volumeGone: boolean;
}

const DAY_MS = 86_400_000;
const COUNTED_RULES: ReadonlyArray<{ rule: 'last' | CalendarPeriod; field: keyof RetentionPolicy }> = [
  { rule: 'last', field: 'keepLast' },
  { rule: 'hourly', field: 'keepHourly' },
  { rule: 'daily', field: 'keepDaily' },
  { rule: 'weekly', field: 'keepWeekly' },
  { rule: 'monthly', field: 'keepMonthly' },
  { rule: 'yearly', field: 'keepYearly' },
];

/**
 * What the policy keeps and deletes, per volume, with restic's `forget` semantics: the completed snapshots of a
 * volume, newest first; a rule with a count left keeps a snapshot whose period (for `last`, the snapshot itself)
 * differs from that of the last snapshot the rule kept, and spends one of its count. With `maxAgeDays`, nothing
 * older is kept by a rule (older snapshots never change what the rules keep among younger ones, so this is the
 * same as pruning them first). Then the safety rules keep what no policy may delete. Decisions come newest first
 * per volume, volumes in ARN order.
 */
export function planRetention(
  snapshots: readonly RetentionCandidate[],
  policy: RetentionPolicy,
  context: RetentionContext,
): RetentionDecision[] {
  const byVolume = new Map<string, Array<RetentionCandidate & { time: number }>>();
  const decisions: RetentionDecision[] = [];
  for (const snapshot of snapshots) {
    const time = Date.parse(snapshot.recoveryPointTime);
    if (!snapshot.volumeArn || Number.isNaN(time)) {
      decisions.push(decide(snapshot, [], ['not-ours'], 'no-rule', context));
      continue;
    }
    const list = byVolume.get(snapshot.volumeArn) ?? [];
    list.push({ ...snapshot, time });
    byVolume.set(snapshot.volumeArn, list);
  }
  for (const volumeArn of [...byVolume.keys()].sort()) {
    const list = (byVolume.get(volumeArn) ?? []).sort(
      (a, b) => b.time - a.time || a.snapshotId.localeCompare(b.snapshotId),
    );
    const rules = keptByRules(
      list.filter((s) => s.state === 'completed'),
      policy,
      context.now,
    );
    const newest = list.find((s) => s.state === 'completed')?.snapshotId;
    const oldest = oldestKept(policy, context.now);
    for (const snapshot of list) {
      const kept = rules.get(snapshot.snapshotId) ?? [];
      const why = snapshot.time < oldest ? 'older-than-max-age' : 'no-rule';
      decisions.push(decide(snapshot, kept, guardsOf(snapshot, newest, context), why, context));
    }
  }
  return decisions;
}

/** The rules that keep each of a volume's completed snapshots (newest first), by snapshot ID. */
function keptByRules(
  completed: ReadonlyArray<RetentionCandidate & { time: number }>,
  policy: RetentionPolicy,
  now: number,
): Map<string, KeepRule[]> {
  const kept = new Map<string, KeepRule[]>();
  const oldest = oldestKept(policy, now);
  const counted = COUNTED_RULES.filter(({ field }) => policy[field] !== undefined);
  if (counted.length === 0) {
    for (const s of completed) if (s.time >= oldest) kept.set(s.snapshotId, ['within-max-age']);
    return kept;
  }
  const left = new Map(counted.map(({ rule, field }) => [rule, policy[field] as number]));
  const last = new Map<string, string>();
  for (const snapshot of completed) {
    if (snapshot.time < oldest) break;
    const keys = calendarKeys(snapshot.time, policy.timeZone);
    const rules: KeepRule[] = [];
    for (const { rule } of counted) {
      if ((left.get(rule) ?? 0) <= 0) continue;
      const period = rule === 'last' ? snapshot.snapshotId : keys[rule];
      if (last.get(rule) === period) continue;
      last.set(rule, period);
      left.set(rule, (left.get(rule) ?? 0) - 1);
      rules.push(rule);
    }
    if (rules.length) kept.set(snapshot.snapshotId, rules);
  }
  return kept;
}

function guardsOf(snapshot: RetentionCandidate, newest: string | undefined, context: RetentionContext): Guard[] {
  const checks: Record<Guard, boolean> = {
    'not-ours': false,
    'out-of-scope': !context.inScope(snapshot.volumeArn),
    'not-completed': snapshot.state !== 'completed',
    'in-run-manifest': context.inRunManifest.has(snapshot.snapshotId),
    'newest-completed': snapshot.snapshotId === newest,
    'legal-hold': snapshot.legalHold,
    locked: snapshot.lockState !== undefined && LOCKED_STATES.includes(snapshot.lockState),
  };
  return GUARDS.filter((guard) => checks[guard]);
}

/** The oldest time a rule may keep: `maxAgeDays` before `now`. */
function oldestKept(policy: RetentionPolicy, now: number): number {
  return policy.maxAgeDays === undefined ? -Infinity : now - policy.maxAgeDays * DAY_MS;
}

function decide(
  snapshot: RetentionCandidate,
  rules: KeepRule[],
  guards: Guard[],
  deleteReason: NonNullable<RetentionDecision['deleteReason']>,
  context: RetentionContext,
): RetentionDecision {
  const keep = rules.length > 0 || guards.length > 0;
  return {
    snapshotId: snapshot.snapshotId,
    volumeArn: snapshot.volumeArn,
    recoveryPointTime: snapshot.recoveryPointTime,
    action: keep ? 'keep' : 'delete',
    rules,
    guards,
    ...(keep ? {} : { deleteReason }),
    volumeGone: snapshot.volumeArn !== '' && !context.existingVolumes.has(snapshot.volumeArn),
  };
}
