import { CONCURRENT_COPIES_PER_DESTINATION_REGION, RESOURCE_LIMIT_EXCEEDED } from '../../copies/limits.ts';
import { AwsError } from './errors.ts';
import { listIndexes, listParam, type QueryParams } from './query.ts';
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
  const unusableKey = keyProblem(context, source, params.KmsKeyId);
  const copy = state.copySnapshot(
    source,
    caller,
    params.Description ?? `[Copied ${sourceId} from ${sourceRegion}]`,
    tags,
    { now: at, completionMs: context.copyCompletionMs, visibilityLagMs: context.snapshotVisibilityLagMs },
    unusableKey !== undefined,
  );
  if (unusableKey) copy.failureMessage = unusableKey;
  const destinationKey = params.KmsKeyId ? state.accounts.key(params.KmsKeyId, caller.region) : undefined;
  if (destinationKey) copy.kmsKeyArn = destinationKey.arn;
  else if (source.kmsKeyArn) copy.kmsKeyArn = `arn:aws:kms:${caller.region}:${caller.accountId}:alias/aws/ebs`;
  const tagItems = tags.map((t) => xmlElement('item', xmlText('key', t.Key), xmlText('value', t.Value)));
  return xmlText('snapshotId', copy.snapshotId) + (tagItems.length ? xmlElement('tagSet', ...tagItems) : '');
}

/** The source is the caller's own, or shared with the caller's account (`createVolumePermission`). */
function mayCopy(source: SnapshotRecord, caller: OperationContext['caller']): boolean {
  return source.ownerId === caller.accountId || source.sharedWith.has(caller.accountId);
}

/**
 * Why the copy cannot be encrypted, if it cannot: the caller's account may not use the source's key, or the key it
 * names for the copy. EC2 accepts the CopySnapshot and the copy ends in `error` later (a cross-account copy job
 * "failed with error: Given key ID is not accessible", aws-samples/aws-backup-automation#2; an encrypted copy that
 * went to `error` some time after the call, aws/aws-cli#917): the emulator does the same, with the reason as the
 * copy's `StateMessage`.
 */
function keyProblem({ state, caller }: OperationContext, source: SnapshotRecord, kmsKeyId: string | undefined) {
  if (source.kmsKeyArn) {
    const key = state.accounts.key(source.kmsKeyArn, source.region);
    if (!key || !state.accounts.mayUse(key, caller.accountId)) {
      return `Given key ID is not accessible: account ${caller.accountId} may not use ${source.kmsKeyArn}, the key of ${source.snapshotId}`;
    }
  }
  if (kmsKeyId) {
    const key = state.accounts.key(kmsKeyId, caller.region);
    if (!key || !state.accounts.mayUse(key, caller.accountId)) {
      return `Given key ID is not accessible: account ${caller.accountId} may not use ${kmsKeyId} in ${caller.region}`;
    }
  }
  return undefined;
}

/**
 * EC2's `ModifySnapshotAttribute` for `createVolumePermission`: shares (or stops sharing) a snapshot of the caller's
 * with other accounts, named as `UserId.N` or `CreateVolumePermission.Add.N.UserId` / `.Remove.N.UserId`.
 */
export function modifySnapshotAttribute(params: QueryParams, { state, now, caller }: OperationContext): string {
  const snapshot = ownSnapshot(state, params.SnapshotId, now(), caller);
  if (params.Attribute !== undefined && params.Attribute !== 'createVolumePermission') {
    throw new AwsError('InvalidParameterValue', `Value (${params.Attribute}) for parameter attribute is invalid.`);
  }
  const add = listIds(params, 'CreateVolumePermission.Add');
  const remove = listIds(params, 'CreateVolumePermission.Remove');
  const users = listParam(params, 'UserId');
  const operation = params.OperationType;
  for (const id of [...add, ...(operation === 'add' ? users : [])]) snapshot.sharedWith.add(id);
  for (const id of [...remove, ...(operation === 'remove' ? users : [])]) snapshot.sharedWith.delete(id);
  if (add.length === 0 && remove.length === 0 && users.length === 0) {
    throw new AwsError('MissingParameter', 'The request must contain the parameter createVolumePermission');
  }
  return xmlText('return', true);
}

/** EC2's `DescribeSnapshotAttribute` for `createVolumePermission`: the accounts the snapshot is shared with. */
export function describeSnapshotAttribute(params: QueryParams, { state, now, caller }: OperationContext): string {
  const snapshot = ownSnapshot(state, params.SnapshotId, now(), caller);
  const items = [...snapshot.sharedWith].map((id) => xmlElement('item', xmlText('userId', id)));
  return xmlText('snapshotId', snapshot.snapshotId) + xmlElement('createVolumePermission', ...items);
}

function ownSnapshot(
  state: OperationContext['state'],
  snapshotId: string | undefined,
  now: number,
  caller: OperationContext['caller'],
): SnapshotRecord {
  const snapshot = snapshotId ? state.snapshot(snapshotId) : undefined;
  if (!snapshot || !isOwnedBy(snapshot, caller) || !isVisible(snapshot, now)) {
    throw new AwsError(SNAPSHOT_NOT_FOUND, `The snapshot '${snapshotId}' does not exist.`);
  }
  return snapshot;
}

function listIds(params: QueryParams, prefix: string): string[] {
  return listIndexes(params, prefix).map((i) => params[`${prefix}.${i}.UserId`] ?? '');
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
