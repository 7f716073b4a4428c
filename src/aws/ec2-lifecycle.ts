import {
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DescribeLockedSnapshotsCommand,
  type EC2Client,
  LockSnapshotCommand,
  ModifySnapshotTierCommand,
} from '@aws-sdk/client-ec2';
import type { SnapshotLockOptions } from '../input/schema.ts';
import { LOCKED_STATES } from '../retention/policy.ts';
import { RETENTION_DELETE_TAG } from '../snapshot/tags.ts';

/** The lock state of every snapshot of the account that a lock holds now, by snapshot ID; paged. */
export async function lockedSnapshots(client: EC2Client): Promise<Map<string, string>> {
  const locked = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new DescribeLockedSnapshotsCommand({
        Filters: [{ Name: 'lock-state', Values: [...LOCKED_STATES] }],
        MaxResults: 1000,
        NextToken,
      }),
    );
    for (const s of page.Snapshots ?? []) if (s.SnapshotId && s.LockState) locked.set(s.SnapshotId, s.LockState);
    NextToken = page.NextToken;
  } while (NextToken);
  return locked;
}

/**
 * The most resources one `CreateTags` call names: "Up to 1000 resource IDs" (EC2 API Reference, CreateTags,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html).
 */
export const MAX_CREATE_TAGS_RESOURCES = 1000;

/**
 * Tags `snapshotIds` {@link RETENTION_DELETE_TAG} (so the stack's Recycle Bin rule keeps them once deleted), in as few
 * `CreateTags` calls as EC2 takes ({@link MAX_CREATE_TAGS_RESOURCES} each). EC2 checks every ID of a call before it
 * tags any, so a call that fails (`InvalidSnapshot.NotFound` for one of them, `RequestLimitExceeded`, …) tagged none;
 * its error reaches the caller.
 */
export async function tagForDeletion(client: EC2Client, snapshotIds: readonly string[]): Promise<void> {
  for (let i = 0; i < snapshotIds.length; i += MAX_CREATE_TAGS_RESOURCES) {
    const Resources = snapshotIds.slice(i, i + MAX_CREATE_TAGS_RESOURCES);
    await client.send(new CreateTagsCommand({ Resources, Tags: [{ ...RETENTION_DELETE_TAG }] }));
  }
}

/**
 * Deletes one snapshot that {@link tagForDeletion} tagged. EC2's errors (`InvalidSnapshot.InUse`,
 * `InvalidSnapshot.NotFound`, `RequestLimitExceeded`, …) reach the caller.
 */
export async function deleteTaggedSnapshot(client: EC2Client, snapshotId: string): Promise<void> {
  await client.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
}

/** Deletes one snapshot, tagging it first ({@link tagForDeletion}); a snapshot whose tag failed is not deleted. */
export async function deleteSnapshot(client: EC2Client, snapshotId: string): Promise<void> {
  await tagForDeletion(client, [snapshotId]);
  await deleteTaggedSnapshot(client, snapshotId);
}

/** Locks one snapshot as the input's `lock` says; answers EC2's lock state and expiry. */
export async function lockSnapshot(
  client: EC2Client,
  snapshotId: string,
  lock: SnapshotLockOptions,
): Promise<{ lockState: string; expiresOn: string }> {
  const answer = await client.send(
    new LockSnapshotCommand({
      SnapshotId: snapshotId,
      LockMode: lock.mode,
      ...(lock.durationDays === undefined ? {} : { LockDuration: lock.durationDays }),
      ...(lock.expiresAt === undefined ? {} : { ExpirationDate: new Date(lock.expiresAt) }),
      ...(lock.coolOffHours === undefined ? {} : { CoolOffPeriod: lock.coolOffHours }),
    }),
  );
  return { lockState: answer.LockState ?? lock.mode, expiresOn: answer.LockExpiresOn?.toISOString() ?? '' };
}

/** Moves one snapshot to the archive tier (`ModifySnapshotTier`); EC2 archives it over the next hours. */
export async function archiveSnapshot(client: EC2Client, snapshotId: string): Promise<void> {
  await client.send(new ModifySnapshotTierCommand({ SnapshotId: snapshotId, StorageTier: 'archive' }));
}
