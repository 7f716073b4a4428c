import {
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { RestoredVolumeUnusableError } from '../errors.ts';
import type { SnapshotFacts } from '../restore/preflight.ts';
import { backOffUntilVisible, type VisibilityBackoff } from './ec2-visibility.ts';

/** DescribeSnapshots takes this many IDs per call here: a missing one fails the call, so few at a time. */
const SNAPSHOT_BATCH = 50;

/**
 * What EC2 says of each snapshot: state, storage tier and size. A snapshot EC2 does not know is left out:
 * DescribeSnapshots refuses the whole call (`InvalidSnapshot.NotFound`) for one unknown ID, so a refused batch is
 * asked again one ID at a time.
 */
export async function snapshotFacts(
  client: EC2Client,
  snapshotIds: readonly string[],
): Promise<Record<string, SnapshotFacts>> {
  const facts: Record<string, SnapshotFacts> = {};
  const unique = [...new Set(snapshotIds)];
  for (let i = 0; i < unique.length; i += SNAPSHOT_BATCH) {
    const batch = unique.slice(i, i + SNAPSHOT_BATCH);
    try {
      Object.assign(facts, await describe(client, batch));
    } catch (error) {
      if ((error as Error).name !== 'InvalidSnapshot.NotFound') throw error;
      // A refused batch of one already names its unknown snapshot: asking again would spend a token for nothing.
      if (batch.length === 1) continue;
      for (const id of batch) {
        try {
          Object.assign(facts, await describe(client, [id]));
        } catch (single) {
          if ((single as Error).name !== 'InvalidSnapshot.NotFound') throw single;
        }
      }
    }
  }
  return facts;
}

/**
 * {@link snapshotFacts}, asking again after each of `backoff.delaysMs` about the snapshots EC2 did not know, until
 * it knows them all or the backoff ends: only a snapshot still unknown then is left out (and so reported missing).
 * EC2 is eventually consistent: a snapshot Storage Gateway made moments ago (a restore started right after its run,
 * as the README's `start --wait` then `restore`) may be unknown to `DescribeSnapshots` for a while; the wait is EC2's
 * one visibility backoff (`src/aws/ec2-visibility.ts`), well inside the preflight Task's 120 s.
 * Why here and not a Retry of the preflight Task on a named error: the Task would fail without naming the
 * preflight's other problems, and only the Task's retry count (`$$.State.RetryCount`, which aws-local-stepfunctions
 * does not supply) could tell the last attempt to report the snapshot missing instead of throwing again.
 */
export async function snapshotFactsOnceVisible(
  client: EC2Client,
  snapshotIds: readonly string[],
  backoff: VisibilityBackoff = {},
): Promise<Record<string, SnapshotFacts>> {
  const facts = await snapshotFacts(client, snapshotIds);
  const unknown = () => snapshotIds.filter((id) => !Object.hasOwn(facts, id));
  return backOffUntilVisible(
    facts,
    async () => Object.assign(facts, await snapshotFacts(client, unknown())),
    () => unknown().length === 0,
    backoff,
  );
}

async function describe(client: EC2Client, snapshotIds: string[]): Promise<Record<string, SnapshotFacts>> {
  const { Snapshots = [] } = await client.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }));
  return Object.fromEntries(
    Snapshots.flatMap((s) =>
      s.SnapshotId
        ? [
            [
              s.SnapshotId,
              {
                state: s.State ?? 'unknown',
                storageTier: s.StorageTier ?? 'standard',
                volumeSizeGib: s.VolumeSize ?? 0,
                ...(s.Encrypted && s.KmsKeyId ? { kmsKeyId: s.KmsKeyId } : {}),
              },
            ],
          ]
        : [],
    ),
  );
}

/** An EBS volume as DescribeVolumes tells it. */
export interface EbsVolumeView {
  volumeId: string;
  state: string;
  sizeGib: number;
  snapshotId?: string;
  createdAt?: string;
  tags: Record<string, string>;
}

/** EBS volumes carrying the tag `key` = `value`. */
export async function findEbsVolumesTagged(client: EC2Client, tags: Record<string, string>): Promise<EbsVolumeView[]> {
  const { Volumes = [] } = await client.send(
    new DescribeVolumesCommand({ Filters: Object.entries(tags).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] })) }),
  );
  return Volumes.map(viewOf);
}

/** One EBS volume. */
export async function describeEbsVolume(client: EC2Client, volumeId: string): Promise<EbsVolumeView> {
  const { Volumes = [] } = await client.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
  const [volume] = Volumes;
  if (!volume) throw new RestoredVolumeUnusableError(`DescribeVolumes did not describe ${volumeId}`);
  return viewOf(volume);
}

/** `CreateVolume` from a snapshot, tagged at creation, with a client token. */
export async function createEbsVolume(
  client: EC2Client,
  request: {
    snapshotId: string;
    availabilityZone: string;
    sizeGib: number;
    clientToken: string;
    tags: Record<string, string>;
  },
): Promise<EbsVolumeView> {
  const created = await client.send(
    new CreateVolumeCommand({
      SnapshotId: request.snapshotId,
      AvailabilityZone: request.availabilityZone,
      Size: request.sizeGib,
      ClientToken: request.clientToken,
      TagSpecifications: [
        { ResourceType: 'volume', Tags: Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value })) },
      ],
    }),
  );
  return viewOf(created);
}

/** `DeleteVolume` of an EBS volume. */
export async function deleteEbsVolume(client: EC2Client, volumeId: string): Promise<void> {
  await client.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
}

function viewOf(v: {
  VolumeId?: string | undefined;
  State?: string | undefined;
  Size?: number | undefined;
  SnapshotId?: string | undefined;
  CreateTime?: Date | undefined;
  Tags?: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined;
}): EbsVolumeView {
  return {
    volumeId: v.VolumeId ?? '',
    state: v.State ?? '',
    sizeGib: v.Size ?? 0,
    ...(v.SnapshotId ? { snapshotId: v.SnapshotId } : {}),
    ...(v.CreateTime ? { createdAt: v.CreateTime.toISOString() } : {}),
    tags: Object.fromEntries((v.Tags ?? []).flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : []))),
  };
}
