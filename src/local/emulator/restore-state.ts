import { deterministicHex } from './random.ts';

/**
 * How long a restored volume takes to become usable, scaled down: on AWS a cached volume created from a snapshot
 * is CREATING for minutes and an EBS volume `creating` for seconds to a minute; here a minute is 100 ms.
 */
export const DEFAULT_RESTORE_TIMINGS = { cachedVolumeMs: 300, ebsVolumeMs: 100 } as const;
export type RestoreTimings = { cachedVolumeMs: number; ebsVolumeMs: number };

/** A cached volume created by CreateCachediSCSIVolume. */
export interface CachedVolumeRecord {
  readonly arn: string;
  readonly id: string;
  readonly gatewayArn: string;
  readonly targetName: string;
  readonly targetArn: string;
  readonly snapshotId: string | undefined;
  readonly sizeBytes: number;
  readonly networkInterfaceId: string;
  readonly kmsKey: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly availableAt: number;
  /** What the create was asked, for a retry with the same client token. */
  readonly request: string;
}

/** An EBS volume created by CreateVolume. */
export interface EbsVolumeRecord {
  readonly volumeId: string;
  readonly snapshotId: string | undefined;
  readonly availabilityZone: string;
  readonly sizeGib: number;
  readonly volumeType: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly availableAt: number;
  readonly request: string;
}

/** A volume of either kind that was deleted, for tests: what, and when. */
export interface DeletedVolume {
  service: 'storagegateway' | 'ec2';
  id: string;
  tags: Readonly<Record<string, string>>;
  deletedAt: number;
}

/** The volumes restores made on the emulator, and those deleted since. */
export class RestoreState {
  readonly #cached = new Map<string, CachedVolumeRecord>();
  readonly #ebs = new Map<string, EbsVolumeRecord>();
  readonly #cachedByToken = new Map<string, CachedVolumeRecord>();
  readonly #ebsByToken = new Map<string, EbsVolumeRecord>();
  readonly #seed: number;
  #made = 0;
  readonly deleted: DeletedVolume[] = [];

  constructor(seed: number) {
    this.#seed = seed;
  }

  /** A new ID of 8 hex digits for a gateway volume, 17 for an EBS one. */
  nextId(digits: number): string {
    return deterministicHex(digits, this.#seed + 7919, this.#made++);
  }

  cachedVolumes(gatewayArn?: string): CachedVolumeRecord[] {
    return [...this.#cached.values()].filter((v) => gatewayArn === undefined || v.gatewayArn === gatewayArn);
  }

  cachedVolume(arn: string): CachedVolumeRecord | undefined {
    return this.#cached.get(arn);
  }

  cachedByToken(token: string): CachedVolumeRecord | undefined {
    return this.#cachedByToken.get(token);
  }

  addCached(volume: CachedVolumeRecord, clientToken: string): void {
    this.#cached.set(volume.arn, volume);
    this.#cachedByToken.set(clientToken, volume);
  }

  deleteCached(arn: string, now: number): boolean {
    const volume = this.#cached.get(arn);
    if (!volume) return false;
    this.#cached.delete(arn);
    this.deleted.push({ service: 'storagegateway', id: arn, tags: volume.tags, deletedAt: now });
    return true;
  }

  ebsVolumes(): EbsVolumeRecord[] {
    return [...this.#ebs.values()];
  }

  ebsVolume(volumeId: string): EbsVolumeRecord | undefined {
    return this.#ebs.get(volumeId);
  }

  ebsByToken(token: string): EbsVolumeRecord | undefined {
    return this.#ebsByToken.get(token);
  }

  addEbs(volume: EbsVolumeRecord, clientToken: string | undefined): void {
    this.#ebs.set(volume.volumeId, volume);
    if (clientToken) this.#ebsByToken.set(clientToken, volume);
  }

  deleteEbs(volumeId: string, now: number): boolean {
    const volume = this.#ebs.get(volumeId);
    if (!volume) return false;
    this.#ebs.delete(volumeId);
    this.deleted.push({ service: 'ec2', id: volumeId, tags: volume.tags, deletedAt: now });
    return true;
  }
}
