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
 * Alone it leaves one window open, between `find` and `create`: two callers at the same instant both find
 * nothing. `makeCreateOnceIdempotent` (`./idempotent.ts`) closes it as a layer around the step that calls this function,
 * so no hook changes: Powertools' idempotency utility writes an in-progress record for the resource's key
 * (a recovery point: `point.[volumeArn, recoveryPointTime]`) before `find` runs; a concurrent second caller
 * fails that write and gets `IdempotencyAlreadyInProgressError`, which the Task's `Retry` turns into a wait,
 * and its next attempt returns the first caller's stored result as `existing`. `find` stays inside the
 * layer: it still answers for what the table cannot know (records past their expiry, resources made before
 * the table existed, a create whose answer was lost after it made the resource).
 */
export async function createOnce<TResource>(hooks: CreateOnceHooks<TResource>): Promise<CreateOnceResult<TResource>> {
  const existing = await hooks.find();
  if (existing !== undefined) return { status: 'existing', resource: existing };
  const created = await hooks.create();
  await hooks.record(created);
  return { status: 'created', resource: created };
}
