import { createHash } from 'node:crypto';

/** `TargetName` of CreateCachediSCSIVolume: 1 to 200 of `^[-\.;a-z0-9]+$` (API reference); ours use no `;`. */
export const TARGET_NAME_PATTERN = /^[-.;a-z0-9]{1,200}$/;
const GIB = 2 ** 30;

/**
 * The iSCSI target name of a volume restored from `sourceVolumeArn`: its volume ID in lowercase, after
 * `restore-` (or `restoretest-` for a test, so a drill never takes the name a real restore needs).
 */
export function targetNameOf(sourceVolumeArn: string, test: boolean): string {
  const volumeId = sourceVolumeArn.slice(sourceVolumeArn.lastIndexOf('/') + 1).toLowerCase();
  const name = `${test ? 'restoretest' : 'restore'}-${volumeId}`.replace(/[^-.a-z0-9]/g, '-').slice(0, 200);
  return name;
}

/**
 * The client token of the create of one volume by one restore execution: the same on every retry, so the
 * service answers a retried create with the volume it made first. 64 hex digits fit both Storage Gateway's (5–100
 * characters) and EC2's (at most 64 ASCII characters) limits.
 */
export function clientTokenOf(executionArn: string, sourceVolumeArn: string): string {
  return createHash('sha256').update(`${executionArn}\n${sourceVolumeArn}`).digest('hex');
}

/** The size of a volume restored from a snapshot of `volumeSizeGib` when the manifest has no size. */
export function bytesOfGib(volumeSizeGib: number): number {
  return volumeSizeGib * GIB;
}

/** The whole GiB EBS needs to hold `sizeBytes`. */
export function gibOf(sizeBytes: number): number {
  return Math.ceil(sizeBytes / GIB);
}
