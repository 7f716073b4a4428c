/** Where a restored volume stands: still on its way, usable, or never going to be. */
export type VolumePhase = 'pending' | 'usable' | 'unusable';

/**
 * The phase of a cached volume by its `VolumeStatus`. The statuses a cached volume takes (Storage Gateway User
 * Guide, "Understanding volume statuses and transitions",
 * https://docs.aws.amazon.com/storagegateway/latest/vgw/StorageVolumeStatuses.html): a volume created from a
 * snapshot goes CREATING → AVAILABLE; BOOTSTRAPPING and PASS THROUGH resolve themselves (upload buffer); UPLOAD
 * BUFFER NOT CONFIGURED needs the operator, IRRECOVERABLE is lost. RESTORING, RESTORE AFTER DELETION and WORKING
 * STORAGE NOT CONFIGURED belong to stored volumes only and are not expected; any status not listed is unusable.
 */
export function cachedVolumePhase(status: string | undefined): VolumePhase {
  return CACHED_PHASES[status ?? ''] ?? 'unusable';
}

const CACHED_PHASES: Readonly<Record<string, VolumePhase>> = {
  CREATING: 'pending',
  BOOTSTRAPPING: 'pending',
  'PASS THROUGH': 'pending',
  AVAILABLE: 'usable',
};

/** The phase of an EBS volume by its `State` (creating, available, in-use, deleting, deleted, error). */
export function ebsVolumePhase(state: string | undefined): VolumePhase {
  if (state === 'creating') return 'pending';
  if (state === 'available' || state === 'in-use') return 'usable';
  return 'unusable';
}

/** The time from the create request to the check that found the volume usable: the achieved RTO. */
export function rtoMsOf(requestedAt: string, usableAt: number): number {
  return Math.max(0, usableAt - Date.parse(requestedAt));
}

/** Whether the wait for a volume requested at `requestedAt` is over at `now`. */
export function waitTimedOut(requestedAt: string, waitTimeoutMinutes: number, now: number): boolean {
  return now - Date.parse(requestedAt) > waitTimeoutMinutes * 60_000;
}
