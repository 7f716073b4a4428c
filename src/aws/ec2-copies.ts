import {
  CopySnapshotCommand,
  type EC2Client,
  ModifySnapshotAttributeCommand,
  paginateDescribeSnapshots,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { COPY_TAG } from '../copies/tags.ts';
import { LEGAL_HOLD_TAG, type Tag } from '../snapshot/tags.ts';

/** One of our copies, as the destination's EC2 describes it. */
export interface OurCopy {
  snapshotId: string;
  /** The `sgw-snap:copy-source` tag: the snapshot it is a copy of. */
  sourceSnapshotId: string;
  volumeArn: string;
  recoveryPointTime: string;
  state: string;
  startTime?: string;
  /** Set when the copy carries the legal-hold tag: retention never deletes it. */
  legalHold?: true;
}

export interface StartCopy {
  sourceRegion: string;
  sourceSnapshotId: string;
  description: string;
  tags: readonly Tag[];
  /** Encrypt the copy with this key of the destination; absent, EC2's rules for the source and the Region apply. */
  kmsKeyId?: string;
}

/** `CopySnapshot`, sent to the destination's EC2 (its Region and account): the copy carries its tags from birth. */
export async function startCopy(destination: EC2Client, copy: StartCopy): Promise<string> {
  const { SnapshotId } = await destination.send(
    new CopySnapshotCommand({
      SourceRegion: copy.sourceRegion,
      SourceSnapshotId: copy.sourceSnapshotId,
      Description: copy.description,
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: [...copy.tags] }],
      ...(copy.kmsKeyId ? { Encrypted: true, KmsKeyId: copy.kmsKeyId } : {}),
    }),
  );
  return SnapshotId ?? '';
}

// How many source IDs one filter names.
const VALUES_PER_FILTER = 200;
const PAGE_SIZE = 1000;

/** Our copies, in the destination, of the given source snapshots: one query (and its pages) per 200 sources. */
export function findCopiesOf(destination: EC2Client, sourceSnapshotIds: readonly string[]): Promise<OurCopy[]> {
  return findCopiesTagged(destination, COPY_TAG.sourceSnapshotId, sourceSnapshotIds);
}

/** Retention of copies: every copy of ours, in the destination, of the given volumes, whichever run made it. */
export function findCopiesOfVolumes(destination: EC2Client, volumeArns: readonly string[]): Promise<OurCopy[]> {
  return findCopiesTagged(destination, COPY_TAG.volumeArn, volumeArns);
}

async function findCopiesTagged(destination: EC2Client, key: string, values: readonly string[]): Promise<OurCopy[]> {
  const found: OurCopy[] = [];
  for (let i = 0; i < values.length; i += VALUES_PER_FILTER) {
    const input = {
      OwnerIds: ['self'],
      Filters: [{ Name: `tag:${key}`, Values: values.slice(i, i + VALUES_PER_FILTER) }],
      MaxResults: PAGE_SIZE,
    };
    for await (const page of paginateDescribeSnapshots({ client: destination, pageSize: PAGE_SIZE }, input)) {
      for (const s of page.Snapshots ?? []) {
        const tag = (key: string) => s.Tags?.find((t) => t.Key === key)?.Value ?? '';
        found.push({
          snapshotId: s.SnapshotId ?? '',
          sourceSnapshotId: tag(COPY_TAG.sourceSnapshotId),
          volumeArn: tag(COPY_TAG.volumeArn),
          recoveryPointTime: tag(COPY_TAG.recoveryPointTime),
          state: s.State ?? 'unknown',
          ...(s.StartTime ? { startTime: s.StartTime.toISOString() } : {}),
          ...(s.Tags?.some((t) => t.Key === LEGAL_HOLD_TAG) ? { legalHold: true as const } : {}),
        });
      }
    }
  }
  return found;
}

/** Shares a snapshot of ours with another account (`createVolumePermission`), so that account can copy it. */
export async function shareSnapshot(source: EC2Client, snapshotId: string, accountId: string): Promise<void> {
  await source.send(
    new ModifySnapshotAttributeCommand({
      SnapshotId: snapshotId,
      Attribute: 'createVolumePermission',
      CreateVolumePermission: { Add: [{ UserId: accountId }] },
    }),
  );
}

/** Temporary credentials, as EC2's client takes them. */
export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Credentials of `roleArn` (in the destination account), for one round: STS's AssumeRole. */
export async function assumeRole(sts: STSClient, roleArn: string, sessionName: string): Promise<RoleCredentials> {
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
  return {
    accessKeyId: Credentials?.AccessKeyId ?? '',
    secretAccessKey: Credentials?.SecretAccessKey ?? '',
    ...(Credentials?.SessionToken ? { sessionToken: Credentials.SessionToken } : {}),
    ...(Credentials?.Expiration ? { expiration: Credentials.Expiration } : {}),
  };
}
