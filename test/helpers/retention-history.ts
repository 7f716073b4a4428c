import type { RetentionCandidate } from '../../src/retention/policy.ts';
import { volumeArn } from './fixtures.ts';

/** One volume's generated history, for the retention tests. */
export interface HistoryOptions {
  volumeId?: string;
  /** The newest snapshot's time. */
  end: number;
  days: number;
  /** Hours between two snapshots. */
  everyHours: number;
  /** Whether the snapshot with this index (0 = newest) is missing: gaps in the schedule. */
  missing?: (index: number) => boolean;
}

const HOUR = 3_600_000;

/** Completed snapshots every `everyHours` for `days` days before `end`, newest first, without the missing ones. */
export function history({
  volumeId = 'vol-1122AABB',
  end,
  days,
  everyHours,
  missing,
}: HistoryOptions): RetentionCandidate[] {
  const count = Math.floor((days * 24) / everyHours);
  const snapshots: RetentionCandidate[] = [];
  for (let i = 0; i < count; i += 1) {
    if (missing?.(i)) continue;
    snapshots.push({
      snapshotId: `snap-${volumeId.slice(4)}${String(i).padStart(5, '0')}`,
      volumeArn: volumeArn(volumeId),
      recoveryPointTime: new Date(end - i * everyHours * HOUR).toISOString(),
      state: 'completed',
      legalHold: false,
    });
  }
  return snapshots;
}
