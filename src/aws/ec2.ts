import {
  CreateTagsCommand,
  type EC2Client,
  type Filter,
  paginateDescribeSnapshots,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { executionTagValue, LEGAL_HOLD_TAG, SNAPSHOT_TAG } from '../snapshot/tags.ts';
import type { KnownSnapshot } from '../workflow/types.ts';

/** A snapshot this tool made, as EC2 describes it. */
export interface OurSnapshot {
  snapshotId: string;
  volumeArn: string;
  recoveryPointTime: string;
  state: string;
  progress: string;
  volumeSizeGiB: number;
  /** EC2's `StartTime`: when the snapshot was started. */
  startTime?: string;
  /** Set when the snapshot carries the legal-hold tag (retention never deletes it). */
  legalHold?: true;
  /** Set when the snapshot is in the archive tier. */
  archived?: true;
  /** Copies (issue 13): why EC2 says the snapshot ended in `error`, when it says. */
  stateMessage?: string;
}

const GIB = 2 ** 30;

/** The evidence's view of one of our snapshots. */
export function knownSnapshot(snapshot: OurSnapshot): KnownSnapshot {
  const { snapshotId, volumeArn, recoveryPointTime, state, volumeSizeGiB, startTime } = snapshot;
  return {
    volumeArn,
    snapshotId,
    recoveryPointTime,
    state,
    ...(volumeSizeGiB ? { sizeBytes: volumeSizeGiB * GIB } : {}),
    ...(startTime ? { snapshotTime: startTime } : {}),
  };
}

/** DescribeSnapshots answers at most 1,000 snapshots a page. */
const PAGE_SIZE = 1000;

/** Our snapshots of one gateway's volumes: one query (with its pages) for the whole gateway. */
export function findSnapshotsOfGateway(client: EC2Client, gatewayArn: string): Promise<OurSnapshot[]> {
  return describeOurSnapshots(client, [{ Name: `tag:${SNAPSHOT_TAG.gatewayArn}`, Values: [gatewayArn] }]);
}

/** Our snapshots of one recovery point (normally none or one). */
export function findSnapshotsOfRecoveryPoint(
  client: EC2Client,
  volumeArn: string,
  recoveryPointTime: string,
): Promise<OurSnapshot[]> {
  return describeOurSnapshots(client, [
    { Name: `tag:${SNAPSHOT_TAG.volumeArn}`, Values: [volumeArn] },
    { Name: `tag:${SNAPSHOT_TAG.recoveryPointTime}`, Values: [recoveryPointTime] },
  ]);
}

/** Every snapshot one execution created, found by its execution tag. */
export function findSnapshotsOfExecution(client: EC2Client, executionArn: string): Promise<OurSnapshot[]> {
  return describeOurSnapshots(client, [
    { Name: `tag:${SNAPSHOT_TAG.execution}`, Values: [executionTagValue(executionArn)] },
  ]);
}

/** Sets the recovery-point tag of a snapshot to the time Storage Gateway actually used. */
export async function tagRecoveryPointTime(
  client: EC2Client,
  snapshotId: string,
  recoveryPointTime: string,
): Promise<void> {
  await client.send(
    new CreateTagsCommand({
      Resources: [snapshotId],
      Tags: [{ Key: SNAPSHOT_TAG.recoveryPointTime, Value: recoveryPointTime }],
    }),
  );
}

// How many snapshot IDs one DescribeSnapshots filter names.
const IDS_PER_CALL = 200;

/**
 * The current state of the given snapshots, those EC2 knows: asked with a `snapshot-id` filter, which answers what
 * exists, where naming the IDs (`SnapshotIds`) fails the whole call when one was deleted or is not visible yet
 * (`InvalidSnapshot.NotFound`; EC2 is eventually consistent).
 */
export async function describeSnapshotsById(client: EC2Client, snapshotIds: readonly string[]): Promise<OurSnapshot[]> {
  const found: OurSnapshot[] = [];
  for (let i = 0; i < snapshotIds.length; i += IDS_PER_CALL) {
    const ids = snapshotIds.slice(i, i + IDS_PER_CALL);
    found.push(...(await describeOurSnapshots(client, [{ Name: 'snapshot-id', Values: ids }])));
  }
  return found;
}

function describeOurSnapshots(client: EC2Client, filters: Filter[]): Promise<OurSnapshot[]> {
  return collect(client, { OwnerIds: ['self'], Filters: filters, MaxResults: PAGE_SIZE });
}

async function collect(
  client: EC2Client,
  input: { OwnerIds?: string[]; Filters?: Filter[]; SnapshotIds?: string[]; MaxResults?: number },
): Promise<OurSnapshot[]> {
  const found: OurSnapshot[] = [];
  for await (const page of paginateDescribeSnapshots({ client, pageSize: input.MaxResults }, input)) {
    for (const snapshot of page.Snapshots ?? []) found.push(toOurSnapshot(snapshot));
  }
  return found;
}

function toOurSnapshot(snapshot: Snapshot): OurSnapshot {
  const tag = (key: string) => snapshot.Tags?.find((t) => t.Key === key)?.Value ?? '';
  return {
    snapshotId: snapshot.SnapshotId ?? '',
    volumeArn: tag(SNAPSHOT_TAG.volumeArn),
    recoveryPointTime: tag(SNAPSHOT_TAG.recoveryPointTime),
    state: snapshot.State ?? 'unknown',
    progress: snapshot.Progress ?? '',
    volumeSizeGiB: snapshot.VolumeSize ?? 0,
    ...(snapshot.StartTime ? { startTime: snapshot.StartTime.toISOString() } : {}),
    ...(snapshot.Tags?.some((t) => t.Key === LEGAL_HOLD_TAG) ? { legalHold: true as const } : {}),
    ...(snapshot.StorageTier === 'archive' ? { archived: true as const } : {}),
    ...(snapshot.StateMessage ? { stateMessage: snapshot.StateMessage } : {}),
  };
}
