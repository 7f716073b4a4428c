/**
 * How one kind of resource takes part in {@link createOnce}: the lifecycle is fixed, a resource supplies
 * only these hooks. Each hook may fail; its error goes out unchanged, with the `name` the ASL matches.
 */
export interface CreateOnceHooks<TResource> {
  /**
   * The resource already made for this request, or `undefined`. It must also find a resource whose
   * `record` never ran (a step that failed between the two is run again from `find`), and it decides
   * which leftovers do not count (a snapshot in state `error`).
   */
  find(): Promise<TResource | undefined>;
  /** Makes the resource; called only when `find` found none. */
  create(): Promise<TResource>;
  /**
   * Leaves what a later `find` needs to know about the resource `create` made (tags, a row);
   * called only after `create`. A resource that `create` already recorded completely resolves at once.
   */
  record(created: TResource): Promise<void>;
}

/** `existing`: `find` found the resource and nothing was made; `created`: this call made and recorded it. */
export type CreateOnceStatus = 'existing' | 'created';

/** What {@link createOnce} returns: the resource, and whether this call made it. */
export interface CreateOnceResult<TResource> {
  status: CreateOnceStatus;
  resource: TResource;
}

/**
 * Makes a resource at most once per request: find → create → record, in that order and no other.
 * Snapshots of recovery points use it now; copies, restored volumes and evidence objects supply their own
 * hooks and get the same guarantee: a retried or re-run step finds what an earlier attempt made.
 *
 * The one window it leaves open is between `find` and `create`: two callers at the same instant both find
 * nothing. Issue 11 closes it with the Powertools idempotency utility on DynamoDB, as a layer around this
 * function, so no hook changes: wrap the caller with `makeIdempotent` (or add its `makeHandlerIdempotent`
 * middleware to the `stepHandler` chain) with a `DynamoDBPersistenceLayer` and an `IdempotencyConfig` whose
 * `eventKeyJmesPath` selects the recovery point (`point.[volumeArn, recoveryPointTime]`). The utility's
 * `_putRecord` then writes an in-progress item for that key before `find` runs; a concurrent second caller
 * fails that write and gets `IdempotencyAlreadyInProgressError`, which the Task's `Retry` turns into a wait,
 * and its next attempt returns the first caller's stored result. `find` stays inside the layer: it still
 * answers for what the table cannot know (items past their expiry, resources made before the table existed
 * or by a caller that died before its result was saved).
 */
export async function createOnce<TResource>(hooks: CreateOnceHooks<TResource>): Promise<CreateOnceResult<TResource>> {
  const existing = await hooks.find();
  if (existing !== undefined) return { status: 'existing', resource: existing };
  const created = await hooks.create();
  await hooks.record(created);
  return { status: 'created', resource: created };
}
