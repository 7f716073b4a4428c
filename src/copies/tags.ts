import { executionTagValue, RESERVED_TAG_PREFIX, type Tag } from '../snapshot/tags.ts';
import type { CopyItem } from './types.ts';

/**
 * The tags that make a copy its own record, given at birth (`CopySnapshot`'s `TagSpecifications`). Keys of their own,
 * not the source's `sgw-snap:*` keys: a copy in the source's Region must never pass for a source snapshot (the list
 * step, the completion wait and retention find sources by those).
 */
export const COPY_TAG = {
  sourceSnapshotId: `${RESERVED_TAG_PREFIX}copy-source`,
  sourceRegion: `${RESERVED_TAG_PREFIX}copy-source-region`,
  gatewayArn: `${RESERVED_TAG_PREFIX}copy-gateway-arn`,
  volumeArn: `${RESERVED_TAG_PREFIX}copy-volume-arn`,
  recoveryPointTime: `${RESERVED_TAG_PREFIX}copy-recovery-point-time`,
  execution: `${RESERVED_TAG_PREFIX}copy-execution`,
} as const;

/** The tags of a new copy: the user's first, ours last so they cannot be overridden. */
export function copyTags(
  item: Pick<CopyItem, 'gatewayArn' | 'volumeArn' | 'recoveryPointTime' | 'sourceSnapshotId'>,
  sourceRegion: string,
  executionArn: string,
  userTags: Record<string, string>,
): Tag[] {
  const ours: Record<string, string> = {
    [COPY_TAG.sourceSnapshotId]: item.sourceSnapshotId,
    [COPY_TAG.sourceRegion]: sourceRegion,
    [COPY_TAG.gatewayArn]: item.gatewayArn,
    [COPY_TAG.volumeArn]: item.volumeArn,
    [COPY_TAG.recoveryPointTime]: item.recoveryPointTime,
    [COPY_TAG.execution]: executionTagValue(executionArn),
  };
  return Object.entries({ ...userTags, ...ours }).map(([Key, Value]) => ({ Key, Value }));
}
