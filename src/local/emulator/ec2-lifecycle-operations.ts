import { LOCKED_STATES } from '../../retention/policy.ts';
import { paginate } from '../http/paging.ts';
import type { Caller } from './caller.ts';
import { AwsError } from './errors.ts';
import { listIndexes, listParam, type QueryParams } from './query.ts';
import type { OperationContext } from './service.ts';
import { type FleetState, isOwnedBy, isVisible, lockStateOf, type SnapshotRecord, snapshotStatus } from './state.ts';
import { xmlElement, xmlText } from './xml.ts';

/*
 * The EBS snapshot lifecycle calls retention uses: DeleteSnapshot, snapshot lock (LockSnapshot,
 * DescribeLockedSnapshots, UnlockSnapshot) and the archive tier (ModifySnapshotTier, DescribeSnapshotTierStatus).
 * Shapes and rules from the EC2 API Reference (API_LockSnapshot, API_LockedSnapshotsInfo, API_ModifySnapshotTier)
 * and the EBS User Guide ("Lock Amazon EBS snapshots", "Archive Amazon EBS snapshots").
 */

const SNAPSHOT_NOT_FOUND = 'InvalidSnapshot.NotFound';
const INVALID_PARAMETER_VALUE = 'InvalidParameterValue';
const INVALID_PARAMETER_COMBINATION = 'InvalidParameterCombination';
// EC2's common client error for "the resource is in an incorrect state for the request".
const INCORRECT_STATE = 'IncorrectState';
/**
 * What the emulator answers a DeleteSnapshot or UnlockSnapshot that a lock forbids. The EC2 API Reference lists no
 * code for it that we could find; the workflow never relies on the name (it never deletes a snapshot it knows is
 * locked, and reports any other delete error as that snapshot's failure).
 */
export const SNAPSHOT_LOCKED = 'SnapshotLocked';
export { SNAPSHOT_IN_USE } from '../../retention/context.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** `LockDuration`: 1 to 36,500 days; `CoolOffPeriod`: 1 to 72 hours (API_LockSnapshot). */
export const LOCK_DURATION_DAYS = { min: 1, max: 36_500 } as const;
export const COOL_OFF_HOURS = { min: 1, max: 72 } as const;

function requireSnapshot(
  state: FleetState,
  snapshotId: string | undefined,
  now: number,
  caller?: Caller,
): SnapshotRecord {
  if (!snapshotId) throw new AwsError('MissingParameter', 'The request must contain the parameter snapshotId');
  const snapshot = state.snapshot(snapshotId);
  // Copies (issue 13): a snapshot of another Region or account is not there for the caller.
  if (!snapshot || !isVisible(snapshot, now) || (caller && !isOwnedBy(snapshot, caller))) {
    throw new AwsError(SNAPSHOT_NOT_FOUND, `The snapshot '${snapshotId}' does not exist.`);
  }
  return snapshot;
}

/** EC2's `DeleteSnapshot`: a locked snapshot (in any state but `expired`) cannot be deleted. */
export function deleteSnapshot(params: QueryParams, { state, now, caller }: OperationContext): string {
  const at = now();
  const snapshot = requireSnapshot(state, params.SnapshotId, at, caller);
  const lock = lockStateOf(snapshot, at);
  if (lock && LOCKED_STATES.includes(lock)) {
    throw new AwsError(
      SNAPSHOT_LOCKED,
      `The snapshot '${snapshot.snapshotId}' is locked (${lock}) and cannot be deleted.`,
    );
  }
  state.deleteSnapshot(snapshot);
  return xmlText('return', true);
}

/**
 * EC2's `LockSnapshot`, with the rules of API_LockSnapshot: a mode, and exactly one of a duration (1–36,500 days)
 * or an expiration date; a cool-off period (1–72 hours) only in compliance mode. A snapshot already locked can be
 * changed freely in governance mode and in compliance cool-off; after the cool-off, a compliance lock can only be
 * extended, with no cool-off given. A `pending` snapshot can be locked, its duration starting once it completes;
 * one in `error` cannot.
 */
export function lockSnapshot(params: QueryParams, { state, now }: OperationContext): string {
  const at = now();
  const snapshot = requireSnapshot(state, params.SnapshotId, at);
  const mode = params.LockMode;
  if (mode !== 'governance' && mode !== 'compliance') {
    throw new AwsError(INVALID_PARAMETER_VALUE, `Value (${mode ?? ''}) for parameter lockMode is invalid.`);
  }
  const status = snapshotStatus(snapshot, at).state;
  if (status === 'error') {
    throw new AwsError(INCORRECT_STATE, `The snapshot '${snapshot.snapshotId}' is in the error state.`);
  }
  const durationDays = optionalInt(params.LockDuration, 'lockDuration', LOCK_DURATION_DAYS);
  const coolOffHours = optionalInt(params.CoolOffPeriod, 'coolOffPeriod', COOL_OFF_HOURS);
  const expiration = params.ExpirationDate === undefined ? undefined : Date.parse(params.ExpirationDate);
  if ((durationDays === undefined) === (expiration === undefined)) {
    throw new AwsError(INVALID_PARAMETER_COMBINATION, 'Specify exactly one of lockDuration and expirationDate.');
  }
  if (expiration !== undefined && (Number.isNaN(expiration) || expiration <= at)) {
    throw new AwsError(INVALID_PARAMETER_VALUE, 'The expirationDate must be a time in the future.');
  }
  if (coolOffHours !== undefined && mode !== 'compliance') {
    throw new AwsError(INVALID_PARAMETER_COMBINATION, 'A coolOffPeriod can only be given in compliance mode.');
  }
  const current = lockStateOf(snapshot, at);
  const durationStartAt = status === 'pending' ? snapshot.completesAt : at;
  const expiresAt = expiration ?? durationStartAt + (durationDays ?? 0) * DAY_MS;
  if (current === 'compliance' && snapshot.lock) {
    if (mode !== 'compliance' || coolOffHours !== undefined || expiresAt < snapshot.lock.expiresAt) {
      throw new AwsError(
        SNAPSHOT_LOCKED,
        `The snapshot '${snapshot.snapshotId}' is locked in compliance mode: its lock can only be extended.`,
      );
    }
  }
  snapshot.lock = {
    mode,
    createdAt: at,
    durationStartAt,
    ...(durationDays === undefined ? {} : { durationDays }),
    expiresAt,
    ...(coolOffHours === undefined ? {} : { coolOffHours, coolOffExpiresAt: at + coolOffHours * HOUR_MS }),
  };
  return lockInfo(snapshot, at, state.accountId, false);
}

/** EC2's `UnlockSnapshot`: governance locks and compliance locks still in their cool-off can be removed. */
export function unlockSnapshot(params: QueryParams, { state, now }: OperationContext): string {
  const at = now();
  const snapshot = requireSnapshot(state, params.SnapshotId, at);
  if (lockStateOf(snapshot, at) === 'compliance') {
    throw new AwsError(SNAPSHOT_LOCKED, `The snapshot '${snapshot.snapshotId}' is locked in compliance mode.`);
  }
  delete snapshot.lock;
  return xmlText('snapshotId', snapshot.snapshotId);
}

/** EC2's `DescribeLockedSnapshots`: the snapshots ever locked (expired locks too), by ID or `lock-state` filter. */
export function describeLockedSnapshots(params: QueryParams, { state, now }: OperationContext): string {
  const at = now();
  const ids = listParam(params, 'SnapshotId');
  const wanted = listIndexes(params, 'Filter').flatMap((i) => {
    const name = params[`Filter.${i}.Name`];
    if (name !== 'lock-state') throw new AwsError(INVALID_PARAMETER_VALUE, `The filter '${name}' is invalid`);
    return listParam(params, `Filter.${i}.Value`);
  });
  const locked = (ids.length ? ids.map((id) => requireSnapshot(state, id, at)) : state.snapshots()).filter((s) => {
    const lock = lockStateOf(s, at);
    return lock !== undefined && (wanted.length === 0 || wanted.includes(lock));
  });
  const size = optionalInt(params.MaxResults, 'maxResults', { min: 5, max: 1000 }) ?? 1000;
  const page = paginate(locked, size, params.NextToken, 'locked');
  if (!page) throw new AwsError(INVALID_PARAMETER_VALUE, `Invalid value '${params.NextToken}' for nextToken`);
  const items = page.items.map((s) => lockInfo(s, at, state.accountId, true));
  return xmlElement('snapshotSet', ...items) + xmlText('nextToken', page.next);
}

/**
 * EC2's `ModifySnapshotTier`: only a `completed` snapshot in the standard tier can be archived (EBS User Guide,
 * "Archive Amazon EBS snapshots": snapshots in pending or error cannot). The emulator archives at once.
 */
export function modifySnapshotTier(params: QueryParams, { state, now }: OperationContext): string {
  const at = now();
  const snapshot = requireSnapshot(state, params.SnapshotId, at);
  if ((params.StorageTier ?? 'archive') !== 'archive') {
    throw new AwsError(INVALID_PARAMETER_VALUE, `Value (${params.StorageTier}) for parameter storageTier is invalid.`);
  }
  if (snapshotStatus(snapshot, at).state !== 'completed') {
    throw new AwsError(INCORRECT_STATE, `The snapshot '${snapshot.snapshotId}' is not completed.`);
  }
  if (snapshot.storageTier === 'archive') {
    throw new AwsError(INCORRECT_STATE, `The snapshot '${snapshot.snapshotId}' is already archived.`);
  }
  snapshot.storageTier = 'archive';
  snapshot.tieringStartedAt = at;
  return xmlText('snapshotId', snapshot.snapshotId) + xmlText('tieringStartTime', new Date(at).toISOString());
}

/** EC2's `DescribeSnapshotTierStatus`: the archive status of the snapshots ever archived. */
export function describeSnapshotTierStatus(params: QueryParams, { state, now }: OperationContext): string {
  const at = now();
  const tiered = state.snapshots().filter((s) => s.tieringStartedAt !== undefined && isVisible(s, at));
  const size = optionalInt(params.MaxResults, 'maxResults', { min: 5, max: 1000 }) ?? 1000;
  const page = paginate(tiered, size, params.NextToken, 'tier-status');
  if (!page) throw new AwsError(INVALID_PARAMETER_VALUE, `Invalid value '${params.NextToken}' for nextToken`);
  const items = page.items.map((s) =>
    xmlElement(
      'item',
      xmlText('snapshotId', s.snapshotId),
      xmlText('status', snapshotStatus(s, at).state),
      xmlText('ownerId', state.accountId),
      xmlText('storageTier', s.storageTier),
      xmlText('lastTieringStartTime', new Date(s.tieringStartedAt ?? at).toISOString()),
      xmlText('lastTieringProgress', 100),
      xmlText('lastTieringOperationStatus', 'archival-completed'),
      xmlText('archivalCompleteTime', new Date(s.tieringStartedAt ?? at).toISOString()),
    ),
  );
  return xmlElement('snapshotTierStatusSet', ...items) + xmlText('nextToken', page.next);
}

function lockInfo(snapshot: SnapshotRecord, now: number, ownerId: string, asItem: boolean): string {
  const lock = snapshot.lock;
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const fields = [
    asItem ? xmlText('ownerId', ownerId) : '',
    xmlText('snapshotId', snapshot.snapshotId),
    xmlText('lockState', lockStateOf(snapshot, now)),
    xmlText('lockDuration', lock?.durationDays),
    xmlText('coolOffPeriod', lock?.coolOffHours),
    xmlText('coolOffPeriodExpiresOn', iso(lock?.coolOffExpiresAt)),
    xmlText('lockCreatedOn', iso(lock?.createdAt)),
    xmlText('lockDurationStartTime', iso(lock?.durationStartAt)),
    xmlText('lockExpiresOn', iso(lock?.expiresAt)),
  ];
  return asItem ? xmlElement('item', ...fields) : fields.join('');
}

function optionalInt(raw: string | undefined, name: string, range: { min: number; max: number }): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new AwsError(
      INVALID_PARAMETER_VALUE,
      `Value (${raw}) for parameter ${name} is invalid. Expecting a value between ${range.min} and ${range.max}.`,
    );
  }
  return value;
}
