import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { CreateOnceStatus } from './create-once.ts';

/**
 * The error a second caller gets while the first one holds the record of the same key; the ASL retries it
 * until the first one finishes. Powertools' own name, matched by the CreateSnapshot Task's `Retry`.
 */
export const IDEMPOTENCY_ALREADY_IN_PROGRESS = 'IdempotencyAlreadyInProgressError';

/**
 * The error a second caller gets when the record that refused its write was gone when it read it: the first
 * caller failed and freed the key in between. Retried like {@link IDEMPOTENCY_ALREADY_IN_PROGRESS}. DynamoDB
 * hands the refusing record back with the refusal (`ReturnValuesOnConditionCheckFailure`), which makes this
 * rare; dynalite does not, so Powertools reads it separately and the window is wide locally.
 */
export const IDEMPOTENCY_ITEM_NOT_FOUND = 'IdempotencyItemNotFoundError';

/**
 * How long a finished record answers for its key: 15 days, past Step Functions' 14-day window for
 * redriving an execution, so a redriven or retried step is answered by the table, not by a new create.
 * After that the resource's own record (a snapshot's tags) answers, through `find`.
 */
export const DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS = 15 * 24 * 60 * 60;

/** Where the records of one kind of resource are kept, and under which key. */
export interface CreateOnceIdempotencyOptions {
  dynamodb: DynamoDBClient;
  tableName: string;
  /** JMESPath of the event fields that name the resource, e.g. `point.[volumeArn, recoveryPointTime]`. */
  eventKeyJmesPath: string;
  /** Prefix of every key, in place of Powertools' default (the function's name, which a rename would change). */
  keyPrefix: string;
  /** @default DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS */
  expiresAfterSeconds?: number;
}

/**
 * A create-once step made idempotent with Powertools' `makeIdempotent`, so that concurrent callers of one key
 * make one resource: the first writes an in-progress record before its `find` runs; another gets
 * {@link IDEMPOTENCY_ALREADY_IN_PROGRESS} until the first finishes, then the first one's result with
 * `status: 'existing'`. A step that throws deletes its own record, so a retry runs the lifecycle again. The
 * in-progress record expires with the Lambda's remaining time, so a caller killed by its timeout holds no
 * key longer than that.
 *
 * Not Powertools' middy middleware: its `onError` deletes the record on any error of the request, including
 * the {@link IDEMPOTENCY_ALREADY_IN_PROGRESS} its own `before` throws at a second caller, which frees the
 * first caller's key while it is still creating (five executions at once made duplicates that way).
 */
export function makeCreateOnceIdempotent<TEvent, TResult extends { status: CreateOnceStatus }>(
  step: (event: TEvent, context: Context) => Promise<TResult>,
  options: CreateOnceIdempotencyOptions,
): (event: TEvent, context: Context) => Promise<TResult> {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    awsSdkV3Client: options.dynamodb,
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: options.eventKeyJmesPath,
    // A key that is missing is a bug of ours: never run unguarded.
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: options.expiresAfterSeconds ?? DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS,
    responseHook: (response) => ({ ...(response as object), status: 'existing' satisfies CreateOnceStatus }),
  });
  // Given (event, context), it registers the context itself: the in-progress record expires with the Lambda.
  return makeIdempotent(step, { persistenceStore, config, keyPrefix: options.keyPrefix });
}
