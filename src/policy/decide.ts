import { INVALID_RECOVERY_POINT_TIME } from '../errors.ts';
import type { ExecutionOptions } from '../input/schema.ts';
import type { RecoveryPoint, SkipReason } from '../workflow/types.ts';

export type Decision =
  | { action: 'snapshot' }
  | { action: 'skip'; reason: SkipReason }
  | { action: 'fail'; error: string; cause: string };

/** What the policy needs besides the point itself. */
export interface DecisionContext {
  options: Pick<ExecutionOptions, 'volumeArns' | 'excludeVolumeArns' | 'policy'>;
  /** Clock of the caller, in epoch milliseconds. */
  now: number;
  /** Keys (`recoveryPointKey`) of the points that already have a usable snapshot of ours. */
  alreadySnapshotted: Pick<ReadonlySet<string>, 'has'>;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
// Storage Gateway writes ISO 8601 times; anything Date.parse would guess at is rejected.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Identifies a recovery point: a volume at a time. */
export function recoveryPointKey(volumeArn: string, recoveryPointTime: string): string {
  return `${volumeArn}@${recoveryPointTime}`;
}

/** Epoch milliseconds of a recovery-point time, or `undefined` if it is not an ISO 8601 time. */
export function parseRecoveryPointTime(time: string): number | undefined {
  const ms = ISO_TIME.test(time) ? Date.parse(time) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** Whether the input leaves a volume out of scope (reason `excluded`). */
export function isExcluded(
  volumeArn: string,
  options: Pick<ExecutionOptions, 'volumeArns' | 'excludeVolumeArns'>,
): boolean {
  return (
    options.excludeVolumeArns.includes(volumeArn) ||
    (options.volumeArns !== undefined && !options.volumeArns.includes(volumeArn))
  );
}

/**
 * Decides whether one recovery point is snapshotted. Reasons are checked in a fixed order,
 * so a point has exactly one: excluded, already-snapshotted, too-new, too-old, unknown-usage,
 * below-min-usage.
 */
export function decide(point: RecoveryPoint, { options, now, alreadySnapshotted }: DecisionContext): Decision {
  const { policy } = options;
  if (isExcluded(point.volumeArn, options)) return skip('excluded');

  const takenAt = parseRecoveryPointTime(point.recoveryPointTime);
  if (takenAt === undefined) {
    return {
      action: 'fail',
      error: INVALID_RECOVERY_POINT_TIME,
      cause: `VolumeRecoveryPointTime ${JSON.stringify(point.recoveryPointTime)} is not an ISO 8601 time`,
    };
  }
  if (
    policy.skipIfAlreadySnapshotted &&
    alreadySnapshotted.has(recoveryPointKey(point.volumeArn, point.recoveryPointTime))
  ) {
    return skip('already-snapshotted');
  }
  const age = now - takenAt;
  if (age < policy.minAgeMinutes * MINUTE_MS) return skip('too-new');
  if (policy.maxAgeHours !== undefined && age > policy.maxAgeHours * HOUR_MS) return skip('too-old');

  if (point.usageBytes === undefined) {
    return policy.unknownUsage === 'skip' ? skip('unknown-usage') : { action: 'snapshot' };
  }
  if (point.usageBytes < policy.minUsageBytes) return skip('below-min-usage');
  if (point.sizeBytes > 0 && (point.usageBytes / point.sizeBytes) * 100 < policy.minUsagePercent) {
    return skip('below-min-usage');
  }
  return { action: 'snapshot' };
}

function skip(reason: SkipReason): Decision {
  return { action: 'skip', reason };
}
