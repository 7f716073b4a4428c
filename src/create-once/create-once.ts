/** An earlier attempt that may have made the resource, as a `CreateOnceShortcut` knows it. */
export interface EarlierAttempt {
  /** When it began, in epoch milliseconds: a resource it made may not show yet (eventual consistency). */
  at: number;
}

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
  find(earlier?: EarlierAttempt): Promise<TResource | undefined>;
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
 * What lets {@link createOnce} leave out `find`, which may cost a call on a shared budget (EC2's `DescribeSnapshots`
 * per volume): a read the caller already made for many requests at once, and a durable mark of every attempt.
 */
export interface CreateOnceShortcut {
  /** A read made before this request (a listing) showed no resource for it. */
  seenAbsent: boolean;
  /**
   * Marks, durably and before `create`, that an attempt begins (an `AttemptLedger`).
   * @returns the earlier attempt that may have made the resource, if there was one
   */
  begin(): Promise<EarlierAttempt | undefined>;
  /** `create` failed with `error`: if that proves nothing was made, the mark goes back to what it was. */
  failed(error: unknown): Promise<void>;
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
 *
 * With a `shortcut`, every attempt is marked before `create`, and `find` is left out only when the caller's own
 * read showed no resource and no earlier attempt may have made one: then nothing exists that `find` would find. So
 * whatever the records cannot know stays covered: a resource made before the table existed or whose record expired
 * was there to be read (the caller's read); an attempt that made the resource, or failed without saying whether
 * it did, or died, left its mark open, and the next attempt runs `find`, told when that attempt began.
 */
export async function createOnce<TResource>(
  hooks: CreateOnceHooks<TResource>,
  shortcut?: CreateOnceShortcut,
): Promise<CreateOnceResult<TResource>> {
  const earlier = await shortcut?.begin();
  if (!shortcut?.seenAbsent || earlier) {
    const existing = await hooks.find(earlier);
    if (existing !== undefined) return { status: 'existing', resource: existing };
  }
  let created: TResource;
  try {
    created = await hooks.create();
  } catch (error) {
    // A mark left open where it could have been put back costs a later attempt one `find`, never a duplicate.
    await shortcut?.failed(error).catch(() => undefined);
    throw error;
  }
  await hooks.record(created);
  return { status: 'created', resource: created };
}
