import { bytesOfGib, clientTokenOf, targetNameOf } from './names.ts';
import type { SnapshotFacts } from './preflight.ts';
import type { ManifestGatewayInput, RestoreOptions } from './schema.ts';
import type { NotRestorable, RestoreItem } from './types.ts';

/** A volume of the manifest chosen for restore, before its snapshot has been looked at. */
export interface RestoreCandidate {
  sourceVolumeArn: string;
  sourceGatewayArn: string;
  /** The source gateway's name, as the manifest gives it. */
  sourceGatewayName?: string;
  snapshotId: string;
  sizeBytes?: number;
  recoveryPointTime?: string;
}

/**
 * The volumes of `manifest` the options select (`gatewayArns`, `volumeArns`); those without a snapshot are
 * not restorable, with the manifest's reason. A `volumeArns` entry the manifest does not hold is not restorable
 * either: nothing asked for is dropped without a word.
 */
export function selectVolumes(
  manifest: readonly ManifestGatewayInput[],
  options: Pick<RestoreOptions, 'gatewayArns' | 'volumeArns'>,
): { candidates: RestoreCandidate[]; notRestorable: NotRestorable[] } {
  const gateways = options.gatewayArns && new Set(options.gatewayArns);
  const volumes = options.volumeArns && new Set(options.volumeArns);
  const candidates: RestoreCandidate[] = [];
  const notRestorable: NotRestorable[] = [];
  const seen = new Set<string>();
  for (const gateway of manifest) {
    if (gateways && !gateways.has(gateway.gatewayArn)) continue;
    for (const volume of gateway.volumes) {
      if (volumes && !volumes.has(volume.volumeArn)) continue;
      seen.add(volume.volumeArn);
      const source = {
        sourceVolumeArn: volume.volumeArn,
        sourceGatewayArn: gateway.gatewayArn,
        ...(gateway.gatewayName ? { sourceGatewayName: gateway.gatewayName } : {}),
      };
      if (!volume.snapshotId) {
        notRestorable.push({
          ...source,
          reason: `no snapshot in the manifest (${volume.reason ?? 'no reason given'})`,
          ...(volumes ? { requested: true } : {}),
        });
        continue;
      }
      candidates.push({
        ...source,
        snapshotId: volume.snapshotId,
        ...(volume.sizeBytes === undefined ? {} : { sizeBytes: volume.sizeBytes }),
        ...(volume.recoveryPointTime === undefined ? {} : { recoveryPointTime: volume.recoveryPointTime }),
      });
    }
  }
  for (const arn of options.volumeArns ?? []) {
    if (!seen.has(arn)) {
      const sourceGatewayArn = arn.slice(0, arn.indexOf('/volume/'));
      notRestorable.push({
        sourceVolumeArn: arn,
        sourceGatewayArn,
        reason: 'not in the manifest (or its gateway was filtered out)',
        requested: true,
      });
    }
  }
  return { candidates, notRestorable };
}

/**
 * The items of a restore: each candidate with its size (the manifest's, else the snapshot's volume size), target
 * name and client token. A candidate whose size nobody knows (its snapshot was not found) is left to the
 * preflight, which names the missing snapshot.
 */
export function planItems(
  candidates: readonly RestoreCandidate[],
  snapshots: Readonly<Record<string, SnapshotFacts>>,
  executionArn: string,
  test: boolean,
): RestoreItem[] {
  return candidates.flatMap((candidate) => {
    const volumeSizeGib = Object.hasOwn(snapshots, candidate.snapshotId)
      ? snapshots[candidate.snapshotId]?.volumeSizeGib
      : undefined;
    const sizeBytes = candidate.sizeBytes ?? (volumeSizeGib === undefined ? undefined : bytesOfGib(volumeSizeGib));
    if (sizeBytes === undefined) return [];
    return [
      {
        ...candidate,
        sizeBytes,
        targetName: targetNameOf(candidate.sourceVolumeArn, test),
        clientToken: clientTokenOf(executionArn, candidate.sourceVolumeArn),
      },
    ];
  });
}
