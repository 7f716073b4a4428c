import { rm } from 'node:fs/promises';
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DEFAULT_LOCAL_IDEMPOTENCY_TABLE } from '../../../src/create-once/idempotency-table.ts';
import { createLocalDynamoDbServer } from '../../../src/local/dynamodb-server.ts';
import { startLocalStack } from '../../../src/local/stack.ts';
import { temporaryS3Directory } from '../../helpers/local-s3.ts';

let directory: string;

beforeEach(async () => {
  directory = await temporaryS3Directory();
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('startLocalStack and the idempotency table', () => {
  it('starts an embedded DynamoDB server on 127.0.0.1 holding the table, and stops it on close', async () => {
    // Prepare
    const stack = await startLocalStack({ env: {}, s3Directory: directory });

    // Act
    try {
      const described = await stack.dynamodb.send(new DescribeTableCommand({ TableName: stack.idempotencyTable }));

      // Assess
      expect(stack.idempotencyTable).toBe(DEFAULT_LOCAL_IDEMPOTENCY_TABLE);
      expect(stack.dynamodbServer).toBeDefined();
      expect(stack.dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(described.Table?.TableStatus).toBe('ACTIVE');
    } finally {
      await stack.close();
    }
    await expect(fetch(stack.dynamodbEndpoint)).rejects.toThrow();
  });

  it('uses the DynamoDB endpoint and table the environment names, and starts no server of its own', async () => {
    // Prepare
    const theirs = createLocalDynamoDbServer({ tables: ['their-table'] });
    const { url } = await theirs.listen();
    const env = { AWS_ENDPOINT_URL_DYNAMODB: url, IDEMPOTENCY_TABLE: 'their-table' };

    // Act
    const stack = await startLocalStack({ env, s3Directory: directory });

    // Assess
    try {
      expect(stack.dynamodbServer).toBeUndefined();
      expect(stack.dynamodbEndpoint).toBe(url);
      expect(stack.idempotencyTable).toBe('their-table');
      const listed = await stack.dynamodb.send(new ListTablesCommand({}));
      expect(listed.TableNames).toEqual(['their-table']);
    } finally {
      await stack.close();
      await theirs.close();
    }
  });
});
