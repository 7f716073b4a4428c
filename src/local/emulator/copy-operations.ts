import { CONCURRENT_COPIES_PER_DESTINATION_REGION, RESOURCE_LIMIT_EXCEEDED } from '../../copies/limits.ts';
import { AwsError } from './errors.ts';
import { listIndexes, type QueryParams } from './query.ts';
import type { OperationContext } from './service.ts';
import { isOwnedBy, isVisible, type SnapshotRecord, snapshotStatus } from './state.ts';
import { xmlElement, xmlText } from './xml.ts';

/*
 * Copies (issue 13): EC2's `CopySnapshot`, issued in the destination Region (the Region of the request's signature)
 * and naming its source by `SourceRegion` and `SourceSnapshotId` (EC2 API Reference, API_CopySnapshot).
 */

// The limit and its error: `CONCURRENT_COPIES_PER_DESTINATION_REGION`. The message is EC2's, as reported in
// aws-samples/copy-encrypted-ami#3 from the days the limit was 5.
/** How long a copy stays `pending` unless the emulator is told otherwise: scaled down from AWS's minutes. */
export const DEFAULT_COPY_COMPLETION_MS = 2000;

const SNAPSHOT_NOT_FOUND = 'InvalidSnapshot.NotFound';
const MAX_TAGS_PER_RESOURCE = 50;

/** EC2's `CopySnapshot`; answers the inside of its response element. */
export function copySnapshot(params: QueryParams, context: OperationContext): string {
  const { state, now, caller } = context;
  const sourceRegion = required(params, 'SourceRegion');
  const sourceId = required(params, 'SourceSnapshotId');
  const tags = tagSpecifications(params);
  const at = now();
  const source = state.snapshot(sourceId);
  if (!source || source.region !== sourceRegion || !isVisible(source, at) || !mayCopy(source, caller)) {
    throw new AwsError(SNAPSHOT_NOT_FOUND, `The snapshot '${sourceId}' does not exist.`);
  }
  // "After you create a snapshot, and it has reached the completed state, you can create a copy of it" (same page).
  if (snapshotStatus(source, at).state !== 'completed') {
    throw new AwsError('IncorrectState', `Snapshot '${sourceId}' is not in a completed state.`);
  }
  const inFlight = state
    .snapshots()
    .filter((s) => s.copiedFrom && isOwnedBy(s, caller) && snapshotStatus(s, at).state === 'pending').length;
  if (inFlight >= CONCURRENT_COPIES_PER_DESTINATION_REGION) {
    throw new AwsError(
      RESOURCE_LIMIT_EXCEEDED,
      `Too many snapshot copies in progress. The limit is ${CONCURRENT_COPIES_PER_DESTINATION_REGION} for this destination region.`,
    );
  }
  const copy = state.copySnapshot(
    source,
    caller,
    params.Description ?? `[Copied ${sourceId} from ${sourceRegion}]`,
    tags,
    {
      now: at,
      completionMs: context.copyCompletionMs,
      visibilityLagMs: context.snapshotVisibilityLagMs,
    },
  );
  const tagItems = tags.map((t) => xmlElement('item', xmlText('key', t.Key), xmlText('value', t.Value)));
  return xmlText('snapshotId', copy.snapshotId) + (tagItems.length ? xmlElement('tagSet', ...tagItems) : '');
}

/** The source is the caller's own. */
function mayCopy(source: SnapshotRecord, caller: OperationContext['caller']): boolean {
  return source.ownerId === caller.accountId;
}

function required(params: QueryParams, name: string): string {
  const value = params[name];
  if (!value) throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

/** `TagSpecification.N.ResourceType` (only `snapshot` here) and its `Tag.M.Key` / `Tag.M.Value`. */
function tagSpecifications(params: QueryParams): Array<{ Key: string; Value: string }> {
  const tags: Array<{ Key: string; Value: string }> = [];
  for (const i of listIndexes(params, 'TagSpecification')) {
    const type = params[`TagSpecification.${i}.ResourceType`];
    if (type !== 'snapshot') {
      throw new AwsError(
        'InvalidParameterValue',
        `'${type}' is not a valid taggable resource type for this operation.`,
      );
    }
    for (const j of listIndexes(params, `TagSpecification.${i}.Tag`)) {
      const Key = params[`TagSpecification.${i}.Tag.${j}.Key`] ?? '';
      const Value = params[`TagSpecification.${i}.Tag.${j}.Value`] ?? '';
      if (Key.length < 1 || Key.length > 128 || Value.length > 256 || /^aws:/i.test(Key)) {
        throw new AwsError('InvalidParameterValue', `Tag key '${Key}' or its value is not valid`);
      }
      tags.push({ Key, Value });
    }
  }
  if (tags.length > MAX_TAGS_PER_RESOURCE) {
    throw new AwsError('TagLimitExceeded', `The maximum number of tags (${MAX_TAGS_PER_RESOURCE}) would be exceeded`);
  }
  return tags;
}
