import { CreateTableCommand, type DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';

/** The table that holds concurrent creates of one resource apart, and its client. */
export interface IdempotencyTable {
  dynamodb: DynamoDBClient;
  tableName: string;
}

/** The environment variable that names the idempotency table in the create function. */
export const IDEMPOTENCY_TABLE_VARIABLE = 'IDEMPOTENCY_TABLE';
/** The table of a local run, unless `IDEMPOTENCY_TABLE` names another. */
export const DEFAULT_LOCAL_IDEMPOTENCY_TABLE = 'sgw-snap-idempotency';
/** The partition key Powertools' DynamoDB persistence layer writes (its default `keyAttr`). */
export const IDEMPOTENCY_KEY_ATTRIBUTE = 'id';
/** The epoch-seconds expiry Powertools writes (its default `expiryAttr`): the table's TTL attribute. */
export const IDEMPOTENCY_EXPIRY_ATTRIBUTE = 'expiration';

/**
 * Creates the idempotency table as `serverless.yml` declares it (one string partition key, on demand);
 * a table that already exists is kept as it is. For local servers only: deployed, CloudFormation owns it.
 */
export async function ensureIdempotencyTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

/**
 * The table named by `IDEMPOTENCY_TABLE`, read once at module scope of the create function. Unset, it is
 * the local default: a deployed function always has it (serverless.yml), and every local run and test
 * imports the module without it.
 */
export function idempotencyTableFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  return env[IDEMPOTENCY_TABLE_VARIABLE]?.trim() || DEFAULT_LOCAL_IDEMPOTENCY_TABLE;
}
