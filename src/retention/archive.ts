import type { ArchiveOptions, RetentionPolicy } from '../input/schema.ts';
import type { RetentionDecision } from './policy.ts';

/**
 * EBS snapshot prices, US East (N. Virginia), https://aws.amazon.com/ebs/pricing/ ("Amazon EBS Snapshots"): standard
 * tier $0.05 per GB-month, archive tier $0.0125 per GB-month, archive retrieval $0.03 per GB.
 */
export const EBS_SNAPSHOT_PRICES = { standardGbMonth: 0.05, archiveGbMonth: 0.0125, retrievalGb: 0.03 } as const;
/** An archived snapshot is billed for at least 90 days ("Archive Amazon EBS snapshots", EBS User Guide). */
export const ARCHIVE_MINIMUM_DAYS = 90;
/**
 * The most snapshots one run archives per gateway: archiving is slow (hours to a day per snapshot) and the account
 * has a quota of archives in progress at once (Service Quotas, Amazon EBS); the rest wait for later runs.
 */
export const MAX_ARCHIVES_PER_GATEWAY = 25;
/** What a restore from an archived snapshot must do first. */
export const ARCHIVE_RESTORE_NOTE =
  'in the archive tier: restore it to the standard tier first (RestoreSnapshotTier), which takes up to 72 hours';

const DAY_MS = 86_400_000;
const DAYS_PER_TIER: Readonly<Record<'monthly' | 'yearly', number>> = { monthly: 30, yearly: 365 };

/** A snapshot to archive, and the estimate that says it pays. */
export interface ArchiveChoice {
  snapshotId: string;
  volumeArn: string;
  recoveryPointTime: string;
  /** `monthly, ~N days left, saves ~X %`: the tier, its expected remaining life and the estimated saving. */
  reason: string;
}

/**
 * The kept snapshots worth moving to the archive tier, oldest first, at most {@link MAX_ARCHIVES_PER_GATEWAY}:
 * completed (the rules keep only completed ones), kept only by the monthly or yearly tier and by no safety rule, not
 * archived yet, at least `afterDays` old, and paying for themselves. Archiving turns an incremental snapshot into a
 * full one: it then stores all the volume's data at the archive price (at least 90 days of it) and frees only the
 * blocks no other snapshot holds, `uniqueShare` of the data, at the standard price. Over the snapshot's expected
 * remaining life R days (until newer periods push it out of its tier), archiving pays when
 * `uniqueShare × standard × R > archive × max(R, 90)`.
 */
export function planArchive(
  decisions: readonly RetentionDecision[],
  archived: ReadonlySet<string>,
  policy: RetentionPolicy,
  archive: ArchiveOptions,
  now: number,
): ArchiveChoice[] {
  const { standardGbMonth, archiveGbMonth } = EBS_SNAPSHOT_PRICES;
  const rank = new Map<string, number>();
  const chosen: Array<ArchiveChoice & { time: number }> = [];
  for (const d of decisions) {
    if (d.action !== 'keep') continue;
    for (const rule of d.rules) {
      if (rule !== 'monthly' && rule !== 'yearly') continue;
      const key = `${d.volumeArn} ${rule}`;
      rank.set(key, (rank.get(key) ?? 0) + 1);
    }
    const time = Date.parse(d.recoveryPointTime);
    const longTiers = d.rules.filter((r): r is 'monthly' | 'yearly' => r === 'monthly' || r === 'yearly');
    if (!longTiers.length || longTiers.length !== d.rules.length || d.guards.length || archived.has(d.snapshotId)) {
      continue;
    }
    if (now - time < archive.afterDays * DAY_MS) continue;
    const remainingDays = Math.max(
      ...longTiers.map((rule) => {
        const count = (rule === 'monthly' ? policy.keepMonthly : policy.keepYearly) ?? 0;
        return (count - (rank.get(`${d.volumeArn} ${rule}`) ?? count)) * DAYS_PER_TIER[rule];
      }),
    );
    const saving = archive.uniqueShare * standardGbMonth * remainingDays;
    const cost = archiveGbMonth * Math.max(remainingDays, ARCHIVE_MINIMUM_DAYS);
    if (saving <= cost) continue;
    const percent = Math.round((1 - cost / (archive.uniqueShare * standardGbMonth * Math.max(remainingDays, 1))) * 100);
    chosen.push({
      snapshotId: d.snapshotId,
      volumeArn: d.volumeArn,
      recoveryPointTime: d.recoveryPointTime,
      reason: `${longTiers.join('+')}, ~${remainingDays} days left, saves ~${percent} %`,
      time,
    });
  }
  return chosen
    .sort((a, b) => a.time - b.time)
    .slice(0, MAX_ARCHIVES_PER_GATEWAY)
    .map(({ time: _time, ...choice }) => choice);
}
