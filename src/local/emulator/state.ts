import type { Fleet, FleetGateway, GatewayType } from '../fleet.ts';
import { AccountsState } from './accounts.ts';
import { UnknownResourceError } from './errors.ts';
import { seedHistory } from './history.ts';
import { deterministicHex } from './random.ts';
import { RestoreState } from './restore-state.ts';

/** The state of an EC2 snapshot, as DescribeSnapshots reports it. */
export type SnapshotState = 'pending' | 'completed' | 'error';

export interface GatewayRecord {
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  readonly type: GatewayType;
  readonly volumes: VolumeRecord[];
  /** Restore (issue 14): what makes the gateway a restore target; tests may change it (a full cache). */
  readonly restoreTarget: Required<
    Pick<FleetGateway, 'state' | 'networkInterfaces' | 'cacheBytes' | 'cacheFull' | 'uploadBufferBytes'>
  >;
}

export interface VolumeRecord {
  readonly arn: string;
  readonly id: string;
  readonly gateway: GatewayRecord;
  readonly sizeBytes: number;
  readonly usageBytes: number | undefined;
  /** Exactly what ListVolumeRecoveryPoints answers; moved by `advanceRecoveryPoint`. */
  recoveryPointTime: string;
  /** Snapshots of this volume end in `error`. */
  failSnapshots: boolean;
}

export interface SnapshotRecord {
  readonly snapshotId: string;
  /** Its place in the order snapshots were made: DescribeSnapshots answers in that order. */
  readonly ordinal: number;
  readonly volume: VolumeRecord;
  readonly recoveryPointTime: string;
  readonly description: string;
  /** Read freely; changed only through `FleetState.tagSnapshot`, which keeps the tag index right. */
  readonly tags: ReadonlyMap<string, string>;
  readonly startedAt: number;
  readonly completesAt: number;
  /** When EC2 first shows the snapshot: until then DescribeSnapshots leaves it out and CreateTags refuses it. */
  readonly visibleAt: number;
  fails: boolean;
  /** EBS snapshot lock, as `LockSnapshot` last set it (kept after it expires, as EC2 shows `expired`). */
  lock?: SnapshotLock;
  /** `ModifySnapshotTier` moves a snapshot to `archive`; it never comes back by itself. */
  storageTier: 'standard' | 'archive';
  /** When `ModifySnapshotTier` started archiving it. */
  tieringStartedAt?: number;
  // Copies (issue 13): EC2 keeps snapshots per Region and account; a copy is made in its destination.
  /** The Region the snapshot lives in: the fleet's, or a copy's destination. */
  readonly region: string;
  /** The account that owns it: the fleet's, or the account that copied it. */
  readonly ownerId: string;
  /** A copy's source: `CopySnapshot`'s `SourceSnapshotId` and `SourceRegion`. */
  readonly copiedFrom?: { readonly snapshotId: string; readonly region: string };
  /** The ARN of the KMS key it is encrypted with, if it is. */
  kmsKeyArn?: string;
  /** Accounts it is shared with (`createVolumePermission`, ModifySnapshotAttribute). */
  readonly sharedWith: Set<string>;
  /** Why it ended in `error`, as EC2's `StateMessage` says. */
  failureMessage?: string;
}

/** The settings of a snapshot's lock; its state follows from them and the clock (`lockStateOf`). */
export interface SnapshotLock {
  mode: 'governance' | 'compliance';
  createdAt: number;
  /** When the duration started counting: the lock's creation, or the snapshot's completion if it was pending. */
  durationStartAt: number;
  durationDays?: number;
  expiresAt: number;
  coolOffHours?: number;
  coolOffExpiresAt?: number;
}

/** `DescribeLockedSnapshots`' lock states. */
export type LockState = 'governance' | 'compliance' | 'compliance-cooloff' | 'expired';

/** A seeded history of completed snapshots for every cached volume (the fleet's `snapshotHistory`). */
export type SnapshotHistory = NonNullable<Fleet['snapshotHistory']>;

export interface SnapshotStatus {
  state: SnapshotState;
  /** `NN%` */
  progress: string;
}

const MINUTE_MS = 60_000;

/** Builds `arn:aws:storagegateway:<region>:<account>:gateway/<id>`. */
export function gatewayArnOf(fleet: Pick<Fleet, 'region' | 'accountId'>, gatewayId: string): string {
  return `arn:aws:storagegateway:${fleet.region}:${fleet.accountId}:gateway/${gatewayId}`;
}

/** Builds the gateway ARN followed by `/volume/<id>`. */
export function volumeArnOf(fleet: Pick<Fleet, 'region' | 'accountId'>, gatewayId: string, volumeId: string): string {
  return `${gatewayArnOf(fleet, gatewayId)}/volume/${volumeId}`;
}

/** Gateways, volumes and snapshots of one emulator; recovery point ages become times at `startedAt`. */
export class FleetState {
  readonly region: string;
  readonly accountId: string;
  readonly gateways: readonly GatewayRecord[];
  readonly #volumes = new Map<string, VolumeRecord>();
  readonly #snapshots = new Map<string, SnapshotRecord>();
  readonly #byTag = new Map<string, Set<SnapshotRecord>>();
  readonly #seed: number;
  // Snapshots made so far, deleted ones included: IDs and ordinals never repeat after a delete.
  #made = 0;
  /** Restore (issue 14): the volumes restores made, and those deleted. */
  readonly restores: RestoreState;
  /** Copies (issue 13): the fleet's accounts, roles and KMS keys. */
  readonly accounts: AccountsState;
  readonly #snapshotKmsKeyArn: string | undefined;

  constructor(fleet: Fleet, startedAt: number, seed: number) {
    this.region = fleet.region;
    this.accountId = fleet.accountId;
    this.#seed = seed;
    this.restores = new RestoreState(seed);
    this.accounts = new AccountsState(fleet, seed);
    this.#snapshotKmsKeyArn = fleet.snapshotKmsKeyId && this.accounts.key(fleet.snapshotKmsKeyId, fleet.region)?.arn;
    this.gateways = fleet.gateways.map((g) => {
      const gateway: GatewayRecord = {
        arn: gatewayArnOf(fleet, g.id),
        id: g.id,
        name: g.name,
        type: g.type,
        volumes: [],
        restoreTarget: {
          state: g.state ?? 'RUNNING',
          networkInterfaces: g.networkInterfaces ?? [],
          cacheBytes: g.cacheBytes ?? 0,
          cacheFull: g.cacheFull ?? false,
          uploadBufferBytes: g.uploadBufferBytes ?? 0,
        },
      };
      for (const v of g.volumes) {
        const volume: VolumeRecord = {
          arn: volumeArnOf(fleet, g.id, v.id),
          id: v.id,
          gateway,
          sizeBytes: v.sizeBytes,
          usageBytes: v.usageBytes,
          recoveryPointTime:
            v.recoveryPointTime ?? new Date(startedAt - (v.recoveryPointAgeMinutes ?? 0) * MINUTE_MS).toISOString(),
          failSnapshots: false,
        };
        gateway.volumes.push(volume);
        this.#volumes.set(volume.arn, volume);
      }
      return gateway;
    });
    if (fleet.snapshotHistory) seedHistory(this, fleet.snapshotHistory, startedAt);
  }

  gateway(arn: string): GatewayRecord | undefined {
    return this.gateways.find((g) => g.arn === arn);
  }

  volume(arn: string): VolumeRecord | undefined {
    return this.#volumes.get(arn);
  }

  /** Restore (issue 14): DeleteVolume of a fleet volume takes it off its gateway; what was deleted is recorded. */
  deleteFleetVolume(volume: VolumeRecord, now: number): void {
    this.#volumes.delete(volume.arn);
    volume.gateway.volumes.splice(volume.gateway.volumes.indexOf(volume), 1);
    this.restores.deleted.push({ service: 'storagegateway', id: volume.arn, tags: {}, deletedAt: now });
  }

  /** @throws {UnknownResourceError} */
  requireVolume(arn: string): VolumeRecord {
    const volume = this.#volumes.get(arn);
    if (!volume) throw new UnknownResourceError(`The fleet has no volume ${arn}`);
    return volume;
  }

  /** Every snapshot in the order it was made. */
  snapshots(): SnapshotRecord[] {
    return [...this.#snapshots.values()];
  }

  snapshot(snapshotId: string): SnapshotRecord | undefined {
    return this.#snapshots.get(snapshotId);
  }

  /**
   * The snapshots tagged `key` = `value`, in the order they were made. An index, so that a fleet of tens of
   * thousands of snapshots is filtered by tag as fast as EC2 does it, not by a scan per call.
   */
  snapshotsTagged(key: string, value: string): SnapshotRecord[] {
    return [...(this.#byTag.get(tagIndexKey(key, value)) ?? [])].sort((a, b) => a.ordinal - b.ordinal);
  }

  /** Sets one tag of a snapshot. */
  tagSnapshot(snapshot: SnapshotRecord, key: string, value: string): void {
    const previous = snapshot.tags.get(key);
    if (previous !== undefined) this.#byTag.get(tagIndexKey(key, previous))?.delete(snapshot);
    (snapshot.tags as Map<string, string>).set(key, value);
    const tagged = this.#byTag.get(tagIndexKey(key, value)) ?? new Set<SnapshotRecord>();
    tagged.add(snapshot);
    this.#byTag.set(tagIndexKey(key, value), tagged);
  }

  /**
   * Starts a snapshot of the volume's current recovery point; it completes `completionMs` after `now`, and EC2
   * shows it `visibilityLagMs` after `now`.
   */
  createSnapshot(
    volume: VolumeRecord,
    description: string,
    tags: readonly { Key: string; Value: string }[],
    now: number,
    completionMs: number,
    visibilityLagMs = 0,
  ): SnapshotRecord {
    return this.#add(volume, volume.recoveryPointTime, description, tags, {
      startedAt: now,
      completesAt: now + completionMs,
      visibleAt: now + visibilityLagMs,
    });
  }

  /** A snapshot of `recoveryPointTime` made and completed at `madeAt`: a history a fleet starts with. */
  seedSnapshot(
    volume: VolumeRecord,
    recoveryPointTime: string,
    description: string,
    tags: readonly { Key: string; Value: string }[],
    madeAt: number,
  ): SnapshotRecord {
    return this.#add(volume, recoveryPointTime, description, tags, {
      startedAt: madeAt,
      completesAt: madeAt,
      visibleAt: madeAt,
    });
  }

  /**
   * Copies (issue 13): starts a copy of `source` owned by `owner` in its Region; it completes `completionMs` after
   * `now` (or ends in `error` when `fails`), and EC2 shows it `visibilityLagMs` after `now`.
   */
  copySnapshot(
    source: SnapshotRecord,
    owner: { region: string; accountId: string },
    description: string,
    tags: readonly { Key: string; Value: string }[],
    times: { now: number; completionMs: number; visibilityLagMs: number },
    fails = false,
  ): SnapshotRecord {
    const copy = this.#add(
      source.volume,
      source.recoveryPointTime,
      description,
      tags,
      {
        startedAt: times.now,
        completesAt: times.now + times.completionMs,
        visibleAt: times.now + times.visibilityLagMs,
      },
      {
        region: owner.region,
        ownerId: owner.accountId,
        copiedFrom: { snapshotId: source.snapshotId, region: source.region },
      },
    );
    copy.fails = fails;
    return copy;
  }

  /** Forgets a snapshot: `DeleteSnapshot`. */
  deleteSnapshot(snapshot: SnapshotRecord): void {
    this.#snapshots.delete(snapshot.snapshotId);
    for (const [key, value] of snapshot.tags) this.#byTag.get(tagIndexKey(key, value))?.delete(snapshot);
  }

  #add(
    volume: VolumeRecord,
    recoveryPointTime: string,
    description: string,
    tags: readonly { Key: string; Value: string }[],
    times: Pick<SnapshotRecord, 'startedAt' | 'completesAt' | 'visibleAt'>,
    place: Pick<SnapshotRecord, 'region' | 'ownerId' | 'copiedFrom'> = { region: this.region, ownerId: this.accountId },
  ): SnapshotRecord {
    const snapshot: SnapshotRecord = {
      ...place,
      sharedWith: new Set(),
      ...(!place.copiedFrom && this.#snapshotKmsKeyArn ? { kmsKeyArn: this.#snapshotKmsKeyArn } : {}),
      snapshotId: `snap-${deterministicHex(17, this.#seed, this.#made)}`,
      ordinal: this.#made,
      volume,
      recoveryPointTime,
      description,
      tags: new Map(),
      ...times,
      fails: volume.failSnapshots,
      storageTier: 'standard',
    };
    this.#made += 1;
    this.#snapshots.set(snapshot.snapshotId, snapshot);
    for (const { Key, Value } of tags) this.tagSnapshot(snapshot, Key, Value);
    return snapshot;
  }

  /** Every later snapshot of the volume, and those still pending at `now`, end in `error`. */
  failSnapshots(volumeArn: string, now: number): void {
    const volume = this.requireVolume(volumeArn);
    volume.failSnapshots = true;
    for (const snapshot of this.#snapshots.values()) {
      if (snapshot.volume === volume && !snapshot.copiedFrom && snapshot.completesAt > now) snapshot.fails = true;
    }
  }
}

/** Copies (issue 13): whether the snapshot lives in the caller's Region and belongs to the caller's account. */
export function isOwnedBy(snapshot: SnapshotRecord, caller: { region: string; accountId: string }): boolean {
  return snapshot.region === caller.region && snapshot.ownerId === caller.accountId;
}

/** Whether EC2 shows the snapshot at `now` (it is eventually consistent). */
export function isVisible(snapshot: SnapshotRecord, now: number): boolean {
  return now >= snapshot.visibleAt;
}

/** Where a snapshot stands at `now`: pending with a growing progress until it completes or fails. */
export function snapshotStatus(snapshot: SnapshotRecord, now: number): SnapshotStatus {
  if (now >= snapshot.completesAt) {
    return snapshot.fails ? { state: 'error', progress: '0%' } : { state: 'completed', progress: '100%' };
  }
  const done = (now - snapshot.startedAt) / (snapshot.completesAt - snapshot.startedAt);
  return { state: 'pending', progress: `${Math.floor(done * 100)}%` };
}

/** The state of a snapshot's lock at `now`, if it was ever locked. */
export function lockStateOf(snapshot: SnapshotRecord, now: number): LockState | undefined {
  const lock = snapshot.lock;
  if (!lock) return undefined;
  if (now >= lock.expiresAt) return 'expired';
  if (lock.mode === 'compliance' && lock.coolOffExpiresAt !== undefined && now < lock.coolOffExpiresAt) {
    return 'compliance-cooloff';
  }
  return lock.mode;
}

function tagIndexKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}
