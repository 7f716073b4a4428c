import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_EXPIRY_ATTRIBUTE, IDEMPOTENCY_KEY_ATTRIBUTE } from './idempotency-table.ts';
import { DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS } from './idempotent.ts';

/** Where a ledger keeps its marks: the idempotency table, under keys of its own prefix. */
export interface AttemptLedgerOptions {
  dynamodb: DynamoDBClient;
  tableName: string;
  /** Prefix of every mark's key; it must differ from the idempotency records' prefix. */
  keyPrefix: string;
  now: () => number;
  /** @default DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS: a mark answers as long as a record does */
  expiresAfterSeconds?: number;
}

/**
 * What the attempts before this one left: `refused` when each was refused by the service (nothing made), `open`
 * when one may have made the resource (it succeeded, failed without a readable answer, or died), begun at `at`.
 */
export type PriorAttempts = { outcome: 'refused' } | { outcome: 'open'; at: number } | undefined;

const OUTCOME_ATTRIBUTE = 'outcome';
const AT_ATTRIBUTE = 'attemptedAt';

/**
 * Durable marks of tried creates, in the idempotency table beside Powertools' records. A mark is written before
 * the create call and, unlike a record, is not deleted when the attempt fails: it tells a later attempt (a retry,
 * another execution, a redrive) that a resource may exist which its own earlier read could not show. Only a
 * create the service refused (nothing made) puts the mark back as it was. Marks expire with the records
 * (DynamoDB's TTL on the same attribute).
 */
export class AttemptLedger {
  readonly #options: AttemptLedgerOptions;

  constructor(options: AttemptLedgerOptions) {
    this.#options = options;
  }

  /**
   * Marks `key` open: an attempt begins now. One write that hands back the mark it replaced.
   * @returns what the attempts before this one left
   */
  async begin(key: string): Promise<PriorAttempts> {
    const { Attributes } = await this.#put(key, { outcome: 'open', at: this.#options.now() });
    if (!Attributes) return undefined;
    const at = Attributes[AT_ATTRIBUTE]?.N;
    return Attributes[OUTCOME_ATTRIBUTE]?.S === 'refused' || at === undefined
      ? { outcome: 'refused' }
      : { outcome: 'open', at: Number(at) };
  }

  /** The attempt `begin` marked was refused, nothing made: the mark says again what `prior` said. */
  async refused(key: string, prior: PriorAttempts): Promise<void> {
    await this.#put(key, prior?.outcome === 'open' ? prior : { outcome: 'refused' });
  }

  #put(key: string, mark: NonNullable<PriorAttempts>) {
    const { dynamodb, tableName, keyPrefix, now } = this.#options;
    const expiresAfterSeconds = this.#options.expiresAfterSeconds ?? DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS;
    return dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          [IDEMPOTENCY_KEY_ATTRIBUTE]: { S: `${keyPrefix}#${key}` },
          [IDEMPOTENCY_EXPIRY_ATTRIBUTE]: { N: String(Math.floor(now() / 1000) + expiresAfterSeconds) },
          [OUTCOME_ATTRIBUTE]: { S: mark.outcome },
          ...(mark.outcome === 'open' ? { [AT_ATTRIBUTE]: { N: String(mark.at) } } : {}),
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
  }
}
