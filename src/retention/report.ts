import type { Guard, KeepRule, RetentionDecision } from './policy.ts';

/**
 * What retention did with one snapshot:
 * - `kept`: a rule or a safety rule keeps it;
 * - `deleted`: deleted by this run (or found gone when a retried round asked again);
 * - `would-delete`: a dry run's deletion;
 * - `in-use`: EC2 refused with `InvalidSnapshot.InUse` (an AMI or something else uses it): kept, never a failure;
 * - `delete-failed`: EC2 refused for another reason: that snapshot's failure, not the run's;
 * - `not-deleted`: the plan deleted it, but the retention step stopped (failed) before its turn;
 * - `deferred`: past the {@link MAX_DELETIONS_PER_GATEWAY} of one run: kept until a later run;
 * - `locked`, `lock-failed`: this run locked the snapshot it made (the input's `lock`), or EC2 refused;
 * - `archived`, `archive-failed`, `would-archive`: this run moved a kept snapshot to the archive tier (the input's
 *   `archive`), EC2 refused, or a dry run would have.
 */
export const RETENTION_OUTCOMES = [
  'kept',
  'deleted',
  'would-delete',
  'in-use',
  'delete-failed',
  'not-deleted',
  'deferred',
  'locked',
  'lock-failed',
  'archived',
  'archive-failed',
  'would-archive',
] as const;
export type RetentionOutcome = (typeof RETENTION_OUTCOMES)[number];

/** One snapshot retention looked at, as the evidence and the report hold it. */
export interface RetentionRow {
  gatewayArn: string;
  volumeArn: string;
  snapshotId: string;
  recoveryPointTime: string;
  outcome: RetentionOutcome;
  /** The policy's rules that keep it. */
  rules: KeepRule[];
  /** The safety rules that keep it. */
  guards: Guard[];
  /** Why, in a word: the rules and guards that keep it (`daily+newest-completed`), or why it goes. */
  reason: string;
  /** Its volume is no longer on its gateway. */
  volumeGone?: true;
  /** It is in the archive tier: a restore must first bring it back (`ARCHIVE_RESTORE_NOTE`). */
  archived?: true;
  /** With `in-use` and `delete-failed`: EC2's error and message. */
  error?: string;
  cause?: string;
}

/** What one deletion came to. */
export interface DeleteResult {
  snapshotId: string;
  outcome: 'deleted' | 'in-use' | 'delete-failed';
  error?: string;
  cause?: string;
}

/** What locking one snapshot this run made came to. */
export interface LockResult {
  snapshotId: string;
  volumeArn: string;
  recoveryPointTime: string;
  outcome: 'locked' | 'lock-failed';
  /** `governance until 2027-…`, as EC2 answered. */
  reason: string;
  error?: string;
  cause?: string;
}

/** What moving one kept snapshot to the archive tier came to. */
export interface ArchiveResult extends Omit<LockResult, 'outcome'> {
  outcome: 'archived' | 'archive-failed' | 'would-archive';
}

/** The plan of one gateway, written once per execution before anything is deleted. */
export interface RetentionPlan {
  gatewayArn: string;
  dryRun: boolean;
  /** The locks of the snapshots this run made, set before planning, so the plan sees them. */
  locks: LockResult[];
  decisions: RetentionDecision[];
  /** The snapshots this run moved (or, dry, would move) to the archive tier. */
  archives?: ArchiveResult[];
  /** Snapshots already in the archive tier when the run planned. */
  archived?: string[];
}

/** What one round of deletions did: the plan's deletions `[from, to)`. */
export interface RetentionRound {
  round: number;
  from: number;
  to: number;
  results: DeleteResult[];
}

/** Where a gateway's retention stands between two rounds: the state machine's cursor, a few fields at any size. */
export interface RetentionProgress {
  /** Rounds done; the next round writes `round-<rounds>.json`. */
  rounds: number;
  /** Index of the next deletion in the plan. */
  cursor: number;
  /** Deletions the plan holds. */
  planned: number;
  done: boolean;
  /** EC2 throttled the last round: the state machine waits before the next. */
  throttled: boolean;
}

/** A gateway's retention, as its evidence object holds it. */
export interface GatewayRetention {
  rows: RetentionRow[];
  /** The retention step failed for good: the rows after the last round are `not-deleted`. */
  failure?: { error: string; cause: string };
}

export interface RetentionCounts {
  kept: number;
  deleted: number;
  wouldDelete: number;
  inUse: number;
  deleteFailed: number;
  notDeleted: number;
  deferred: number;
  locked: number;
  lockFailed: number;
  archived: number;
  archiveFailed: number;
  wouldArchive: number;
  /** Gateways whose retention step failed as a whole. */
  stepFailures: number;
}

/**
 * The most deletions one run makes on one gateway; the plan's others are `deferred` to the next runs. EC2 refills
 * its mutating bucket 5 tokens a second for the whole account: the first run over a year of history of a large
 * fleet would otherwise throttle for days, and a child execution's rounds would outgrow its 25,000-event history.
 * Four runs a day clear a backlog of 8,000 per gateway a day.
 */
export const MAX_DELETIONS_PER_GATEWAY = 2_000;

/** The plan's deletions this run makes, in the order the rounds take them: at most `MAX_DELETIONS_PER_GATEWAY`. */
export function deletionsOf(plan: RetentionPlan): string[] {
  return plan.decisions
    .filter((d) => d.action === 'delete')
    .map((d) => d.snapshotId)
    .slice(0, MAX_DELETIONS_PER_GATEWAY);
}

/** The rows of a gateway: its plan with every round's results applied; a deletion no round reached is `not-deleted`. */
export function retentionRows(plan: RetentionPlan, rounds: readonly RetentionRound[]): RetentionRow[] {
  const results = new Map<string, DeleteResult>();
  for (const round of [...rounds].sort((a, b) => a.round - b.round)) {
    for (const result of round.results) results.set(result.snapshotId, result);
  }
  const locks = [...plan.locks, ...(plan.archives ?? [])].map(
    ({ snapshotId, volumeArn, recoveryPointTime, outcome, reason, error, cause }): RetentionRow => ({
      gatewayArn: plan.gatewayArn,
      volumeArn,
      snapshotId,
      recoveryPointTime,
      outcome,
      rules: [],
      guards: [],
      reason,
      ...(error ? { error } : {}),
      ...(cause ? { cause } : {}),
    }),
  );
  const thisRun = new Set(deletionsOf(plan));
  const archived = new Set([
    ...(plan.archived ?? []),
    ...(plan.archives ?? []).filter((a) => a.outcome === 'archived').map((a) => a.snapshotId),
  ]);
  const decided = plan.decisions.map((d): RetentionRow => {
    const row: RetentionRow = {
      gatewayArn: plan.gatewayArn,
      volumeArn: d.volumeArn,
      snapshotId: d.snapshotId,
      recoveryPointTime: d.recoveryPointTime,
      outcome: 'kept',
      rules: d.rules,
      guards: d.guards,
      reason: [...d.rules, ...d.guards].join('+'),
      ...(d.volumeGone ? { volumeGone: true as const } : {}),
      ...(archived.has(d.snapshotId) ? { archived: true as const } : {}),
    };
    if (d.action === 'keep') return row;
    row.reason = d.deleteReason ?? 'no-rule';
    if (plan.dryRun) return { ...row, outcome: 'would-delete' };
    if (!thisRun.has(d.snapshotId)) return { ...row, outcome: 'deferred' };
    const result = results.get(d.snapshotId);
    if (!result) return { ...row, outcome: 'not-deleted' };
    return {
      ...row,
      outcome: result.outcome,
      ...(result.error ? { error: result.error } : {}),
      ...(result.cause ? { cause: result.cause } : {}),
    };
  });
  return [...locks, ...decided];
}

/** The counts of a retention that looked at nothing: every outcome 0. */
export function noRetentionCounts(): RetentionCounts {
  return {
    kept: 0,
    deleted: 0,
    wouldDelete: 0,
    inUse: 0,
    deleteFailed: 0,
    notDeleted: 0,
    deferred: 0,
    locked: 0,
    lockFailed: 0,
    archived: 0,
    archiveFailed: 0,
    wouldArchive: 0,
    stepFailures: 0,
  };
}

/** The rows counted by outcome. */
export function retentionCounts(retention: readonly GatewayRetention[]): RetentionCounts {
  const counts = noRetentionCounts();
  const field: Record<RetentionOutcome, keyof RetentionCounts> = {
    kept: 'kept',
    deleted: 'deleted',
    'would-delete': 'wouldDelete',
    'in-use': 'inUse',
    'delete-failed': 'deleteFailed',
    'not-deleted': 'notDeleted',
    deferred: 'deferred',
    locked: 'locked',
    'lock-failed': 'lockFailed',
    archived: 'archived',
    'archive-failed': 'archiveFailed',
    'would-archive': 'wouldArchive',
  };
  for (const gateway of retention) {
    if (gateway.failure) counts.stepFailures += 1;
    for (const row of gateway.rows) counts[field[row.outcome]] += 1;
  }
  return counts;
}
