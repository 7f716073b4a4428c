import { MAX_CREATE_TAGS_RESOURCES } from '../../aws/ec2-lifecycle.ts';
import { paginate } from '../http/paging.ts';
import type { Caller } from './caller.ts';
import { AwsError } from './errors.ts';
import { listIndexes, listParam, type QueryParams } from './query.ts';
import type { OperationContext } from './service.ts';
import { type FleetState, isOwnedBy, isVisible, type SnapshotRecord, snapshotStatus } from './state.ts';
import { xmlElement, xmlText } from './xml.ts';

const SNAPSHOT_NOT_FOUND = 'InvalidSnapshot.NotFound';
const INVALID_PARAMETER_VALUE = 'InvalidParameterValue';

const MIN_MAX_RESULTS = 5;
const MAX_MAX_RESULTS = 1000;
const MAX_TAGS_PER_RESOURCE = 50;
const GIB = 2 ** 30;
// Snapshots that Storage Gateway makes belong to no EBS volume; EC2 shows this placeholder id.
const GATEWAY_SNAPSHOT_VOLUME_ID = 'vol-ffffffff';

type SnapshotFilter = (snapshot: SnapshotRecord, now: number) => boolean;
/** A filter value: the same text, or a wildcard pattern. */
type Pattern = string | RegExp;
type FilterFactory = (name: string, patterns: readonly Pattern[]) => SnapshotFilter | undefined;

const FILTERS: readonly FilterFactory[] = [
  (name, patterns) => {
    if (!name.startsWith('tag:')) return undefined;
    const key = name.slice('tag:'.length);
    return (s) => s.tags.has(key) && anyMatch(patterns, s.tags.get(key) ?? '');
  },
  (name, patterns) => (name === 'tag-key' ? (s) => [...s.tags.keys()].some((k) => anyMatch(patterns, k)) : undefined),
  (name, patterns) => (name === 'status' ? (s, now) => anyMatch(patterns, snapshotStatus(s, now).state) : undefined),
  (name, patterns) => (name === 'volume-size' ? (s) => anyMatch(patterns, String(volumeSizeGib(s))) : undefined),
  (name, patterns) => (name === 'snapshot-id' ? (s) => anyMatch(patterns, s.snapshotId) : undefined),
];

/** EC2's `DescribeSnapshots`; answers the inside of its response element. */
export function describeSnapshots(
  params: QueryParams,
  { state, now, describeSnapshotsPageLimit, caller }: OperationContext,
): string {
  const snapshotIds = listParam(params, 'SnapshotId');
  const maxResults = readMaxResults(params);
  if (maxResults !== undefined && snapshotIds.length > 0) {
    throw new AwsError(
      'InvalidParameterCombination',
      'The parameter snapshotSet cannot be used with the parameter maxResults',
    );
  }
  const at = now();
  const missing = snapshotIds.filter((id) => !visibleSnapshot(state, id, at, caller));
  if (missing.length > 0) {
    throw new AwsError(SNAPSHOT_NOT_FOUND, `The snapshot '${missing.join(', ')}' does not exist.`);
  }
  const owners = listParam(params, 'Owner');
  const ownedByUs = owners.length === 0 || owners.some((o) => o === 'self' || o === caller.accountId);
  const filters = readFilters(params);
  const candidates = !ownedByUs ? [] : snapshotIds.length ? byIds(state, snapshotIds) : byExactTag(state, params);
  const selected = candidates.filter(
    (s) => isOwnedBy(s, caller) && isVisible(s, at) && filters.every((filter) => filter(s, at)),
  );
  const nextToken = params.NextToken;
  const page = paginate(selected, Math.min(maxResults ?? MAX_MAX_RESULTS, describeSnapshotsPageLimit), nextToken);
  if (!page) throw new AwsError(INVALID_PARAMETER_VALUE, `Invalid value '${nextToken}' for nextToken`);
  const items = page.items.map((s) => snapshotItem(s, at));
  return xmlElement('snapshotSet', ...items) + xmlText('nextToken', page.next);
}

/**
 * The snapshot `snapshotId` if EC2 shows it to `caller` at `now`: a snapshot made moments ago may not be shown yet,
 * and one of another Region or account is not there at all (copies, issue 13).
 */
function visibleSnapshot(
  state: FleetState,
  snapshotId: string,
  now: number,
  caller: Caller,
): SnapshotRecord | undefined {
  const snapshot = state.snapshot(snapshotId);
  return snapshot && isOwnedBy(snapshot, caller) && isVisible(snapshot, now) ? snapshot : undefined;
}

/** The named snapshots (all exist), in the order they were made. */
function byIds(state: FleetState, snapshotIds: readonly string[]): SnapshotRecord[] {
  return [...new Set(snapshotIds)]
    .map((id) => state.snapshot(id) as SnapshotRecord)
    .sort((a, b) => a.ordinal - b.ordinal);
}

/**
 * The snapshots a `tag:` filter with one value and no wildcard can hold, through the state's tag index;
 * every snapshot when the call has no such filter. The filters themselves are still applied to the result.
 */
function byExactTag(state: FleetState, params: QueryParams): SnapshotRecord[] {
  for (const i of listIndexes(params, 'Filter')) {
    const name = params[`Filter.${i}.Name`] ?? '';
    const values = listParam(params, `Filter.${i}.Value`);
    const value = values[0];
    if (name.startsWith('tag:') && values.length === 1 && value !== undefined && !/[*?]/.test(value)) {
      return state.snapshotsTagged(name.slice('tag:'.length), value);
    }
  }
  return state.snapshots();
}

/** EC2's `CreateTags`; answers the inside of its response element. */
export function createTags(params: QueryParams, { state, now, caller }: OperationContext): string {
  const resources = listParam(params, 'ResourceId');
  const tags = listIndexes(params, 'Tag').map((i) => ({
    key: params[`Tag.${i}.Key`] ?? '',
    value: params[`Tag.${i}.Value`] ?? '',
  }));
  if (resources.length === 0)
    throw new AwsError('MissingParameter', 'The request must contain the parameter resourceIdSet');
  if (tags.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter tagSet');
  // EC2's limit per call (the AWS side of our own `MAX_CREATE_TAGS_RESOURCES`).
  if (resources.length > MAX_CREATE_TAGS_RESOURCES) {
    throw new AwsError(INVALID_PARAMETER_VALUE, `The request names more than ${MAX_CREATE_TAGS_RESOURCES} resources`);
  }
  for (const { key, value } of tags) {
    if (key.length < 1 || key.length > 128 || value.length > 256 || /^aws:/i.test(key)) {
      throw new AwsError(INVALID_PARAMETER_VALUE, `Tag key '${key}' or its value is not valid`);
    }
  }
  const at = now();
  const snapshots = resources.map((id) => {
    const snapshot = visibleSnapshot(state, id, at, caller);
    if (snapshot) return snapshot;
    throw id.startsWith('snap-')
      ? new AwsError(SNAPSHOT_NOT_FOUND, `The snapshot '${id}' does not exist.`)
      : new AwsError('InvalidID', `The ID '${id}' is not valid`);
  });
  for (const snapshot of snapshots) {
    const keys = new Set([...snapshot.tags.keys(), ...tags.map((t) => t.key)]);
    if (keys.size > MAX_TAGS_PER_RESOURCE) {
      throw new AwsError('TagLimitExceeded', `The maximum number of tags for ${snapshot.snapshotId} would be exceeded`);
    }
  }
  for (const snapshot of snapshots) for (const { key, value } of tags) state.tagSnapshot(snapshot, key, value);
  return xmlText('return', true);
}

function readMaxResults(params: QueryParams): number | undefined {
  const raw = params.MaxResults;
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < MIN_MAX_RESULTS || value > MAX_MAX_RESULTS) {
    throw new AwsError(
      INVALID_PARAMETER_VALUE,
      `Value ( ${raw} ) for parameter maxResults is invalid. ` +
        `Expecting a value between ${MIN_MAX_RESULTS} and ${MAX_MAX_RESULTS}.`,
    );
  }
  return value;
}

function readFilters(params: QueryParams): SnapshotFilter[] {
  return listIndexes(params, 'Filter').map((i) => {
    const name = params[`Filter.${i}.Name`] ?? '';
    const patterns = listParam(params, `Filter.${i}.Value`).map(wildcard);
    for (const factory of FILTERS) {
      const filter = factory(name, patterns);
      if (filter) return filter;
    }
    throw new AwsError(INVALID_PARAMETER_VALUE, `The filter '${name}' is invalid`);
  });
}

// EC2 filter values take `*` (any run of characters) and `?` (one character). A value without them is compared as
// it is: most calls filter by one ARN or time, and a regular expression compiled per call costs more than the call.
function wildcard(value: string): Pattern {
  if (!/[*?]/.test(value)) return value;
  const source = value
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`, 's');
}

function anyMatch(patterns: readonly Pattern[], value: string): boolean {
  return patterns.some((p) => (typeof p === 'string' ? p === value : p.test(value)));
}

function volumeSizeGib(snapshot: SnapshotRecord): number {
  return Math.ceil(snapshot.volume.sizeBytes / GIB);
}

function snapshotItem(snapshot: SnapshotRecord, now: number): string {
  const status = snapshotStatus(snapshot, now);
  const tags = [...snapshot.tags].map(([key, value]) =>
    xmlElement('item', xmlText('key', key), xmlText('value', value)),
  );
  return xmlElement(
    'item',
    xmlText('snapshotId', snapshot.snapshotId),
    xmlText('volumeId', GATEWAY_SNAPSHOT_VOLUME_ID),
    xmlText('status', status.state),
    xmlText('statusMessage', status.state === 'error' ? (snapshot.failureMessage ?? 'The snapshot failed') : undefined),
    xmlText('startTime', new Date(snapshot.startedAt).toISOString()),
    xmlText('progress', status.progress),
    xmlText('ownerId', snapshot.ownerId),
    xmlText('volumeSize', volumeSizeGib(snapshot)),
    xmlText('description', snapshot.description),
    // Copies (issue 13): a snapshot of an encrypted volume, or a copy encrypted with a key of its destination.
    xmlText('encrypted', snapshot.kmsKeyArn !== undefined),
    xmlText('kmsKeyId', snapshot.kmsKeyArn),
    xmlText('storageTier', snapshot.storageTier),
    tags.length > 0 ? xmlElement('tagSet', ...tags) : '',
  );
}
