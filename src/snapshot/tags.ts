/** Every tag this tool puts on a snapshot starts with this; users may not set such keys. */
export const RESERVED_TAG_PREFIX = 'sgw-snap:';

/** The tags that make a snapshot its own record: which recovery point it holds and who made it. */
export const SNAPSHOT_TAG = {
  gatewayArn: `${RESERVED_TAG_PREFIX}gateway-arn`,
  volumeArn: `${RESERVED_TAG_PREFIX}volume-arn`,
  recoveryPointTime: `${RESERVED_TAG_PREFIX}recovery-point-time`,
  execution: `${RESERVED_TAG_PREFIX}execution`,
} as const;

/** A snapshot holds 50 tags; ours take the rest. */
export const MAX_USER_TAGS = 50 - Object.keys(SNAPSHOT_TAG).length;

export interface Tag {
  Key: string;
  Value: string;
}

export interface SnapshotIdentity {
  gatewayArn: string;
  volumeArn: string;
  recoveryPointTime: string;
  executionArn: string;
}

/** The tags of a new snapshot: the user's first, ours last so they cannot be overridden. */
export function snapshotTags(identity: SnapshotIdentity, userTags: Record<string, string>): Tag[] {
  const ours: Record<string, string> = {
    [SNAPSHOT_TAG.gatewayArn]: identity.gatewayArn,
    [SNAPSHOT_TAG.volumeArn]: identity.volumeArn,
    [SNAPSHOT_TAG.recoveryPointTime]: identity.recoveryPointTime,
    [SNAPSHOT_TAG.execution]: identity.executionArn.slice(-256),
  };
  return Object.entries({ ...userTags, ...ours }).map(([Key, Value]) => ({ Key, Value }));
}
