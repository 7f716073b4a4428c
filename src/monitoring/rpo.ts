import type { ManifestGateway } from '../report/gateway-report.ts';

/** A volume in scope whose newest usable snapshot is older than the RPO target, or that has none. */
export interface StaleVolume {
  gatewayArn: string;
  gatewayName?: string;
  volumeArn: string;
  /** Seconds from its snapshot's recovery point to `now`; `null`: no usable snapshot at all. */
  ageSeconds: number | null;
  /** With no snapshot: why (the skip reason or error the manifest names). */
  reason?: string;
}

/** The recovery point objective achieved over the volumes in scope, at one moment. */
export interface RpoFigures {
  /** Volumes in scope (every volume of the manifest). */
  volumes: number;
  /** The RPO target the figures were measured against, in hours. */
  targetHours: number;
  /** Every stale volume, the oldest first and those with no snapshot before all others. */
  stale: StaleVolume[];
  /** The age of the oldest newest-usable-snapshot; absent when no volume in scope has a snapshot. */
  worstSeconds?: number;
  /** The median of those ages (the mean of the middle two for an even count). */
  medianSeconds?: number;
}

/**
 * The achieved RPO of each volume in scope is the age, at `now`, of the recovery point its newest usable snapshot
 * was made from (the manifest's choice, which already leaves out snapshots in `error`). A volume is stale when that
 * age passes `targetHours`, or when it has no usable snapshot: its RPO is unbounded.
 */
export function rpoOf(manifest: readonly ManifestGateway[], now: number, targetHours: number): RpoFigures {
  const targetSeconds = targetHours * 3600;
  const ages: number[] = [];
  const stale: StaleVolume[] = [];
  let volumes = 0;
  for (const gateway of manifest) {
    for (const volume of gateway.volumes) {
      volumes += 1;
      const pointTime = volume.snapshotId && volume.recoveryPointTime ? Date.parse(volume.recoveryPointTime) : NaN;
      const ageSeconds = Number.isNaN(pointTime) ? null : Math.max(0, Math.round((now - pointTime) / 1000));
      if (ageSeconds !== null) ages.push(ageSeconds);
      if (ageSeconds === null || ageSeconds > targetSeconds) {
        stale.push({
          gatewayArn: gateway.gatewayArn,
          ...(gateway.gatewayName ? { gatewayName: gateway.gatewayName } : {}),
          volumeArn: volume.volumeArn,
          ageSeconds,
          ...(ageSeconds === null && volume.reason ? { reason: volume.reason } : {}),
        });
      }
    }
  }
  stale.sort((a, b) => (b.ageSeconds ?? Number.POSITIVE_INFINITY) - (a.ageSeconds ?? Number.POSITIVE_INFINITY));
  ages.sort((a, b) => a - b);
  return {
    volumes,
    targetHours,
    stale,
    ...(ages.length ? { worstSeconds: ages[ages.length - 1] as number, medianSeconds: median(ages) } : {}),
  };
}

/** The median of sorted, non-empty `values`. */
function median(values: readonly number[]): number {
  const middle = Math.floor(values.length / 2);
  const upper = values[middle] as number;
  return values.length % 2 ? upper : Math.round(((values[middle - 1] as number) + upper) / 2);
}

/** `93784` → `1d 2h 3m`; `null` (no snapshot) → `none`. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return 'none';
  const minutes = Math.floor(seconds / 60);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const parts = [days ? `${days}d` : '', hours ? `${hours}h` : '', `${minutes % 60}m`].filter(Boolean);
  return days || hours ? parts.filter((p) => p !== '0m').join(' ') : `${minutes}m`;
}
