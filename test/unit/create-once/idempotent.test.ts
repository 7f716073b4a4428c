import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { CreateOnceStatus } from '../../../src/create-once/create-once.ts';
import { IDEMPOTENCY_EXPIRY_ATTRIBUTE } from '../../../src/create-once/idempotency-table.ts';
import {
  DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS,
  IDEMPOTENCY_ALREADY_IN_PROGRESS,
  makeCreateOnceIdempotent,
} from '../../../src/create-once/idempotent.ts';
import {
  createLocalDynamoDbClient,
  createLocalDynamoDbServer,
  type LocalDynamoDbServer,
} from '../../../src/local/dynamodb-server.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';

const TABLE = 'test-idempotency';

interface Made {
  status: CreateOnceStatus;
  id: string;
}
interface Request {
  point: { volumeArn: string; recoveryPointTime: string };
  caller: string;
}

let server: LocalDynamoDbServer;
let dynamodb: ReturnType<typeof createLocalDynamoDbClient>;

beforeAll(async () => {
  server = createLocalDynamoDbServer({ tables: [TABLE] });
  dynamodb = createLocalDynamoDbClient((await server.listen()).url, 'us-east-1');
});
afterAll(async () => {
  dynamodb.destroy();
  await server.close();
});

/** A step that makes one resource per call, numbered, and holds each until released. */
function countingStep() {
  let made = 0;
  const releases: (() => void)[] = [];
  const step = async (request: Request, _context: Context): Promise<Made> => {
    made += 1;
    const id = `${request.caller}-${made}`;
    await new Promise<void>((resolve) => releases.push(resolve));
    return { status: 'created', id };
  };
  return {
    step,
    made: () => made,
    releaseAll: () => {
      for (const release of releases.splice(0)) release();
    },
  };
}

const request = (caller: string, recoveryPointTime = '2025-01-15T11:00:00.000Z'): Request => ({
  point: {
    volumeArn: `arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-1/volume/vol-${TABLE}`,
    recoveryPointTime,
  },
  caller,
});

const idempotent = (step: (request: Request, context: Context) => Promise<Made>, keyPrefix: string) =>
  makeCreateOnceIdempotent(step, {
    dynamodb,
    tableName: TABLE,
    eventKeyJmesPath: 'point.[volumeArn, recoveryPointTime]',
    keyPrefix,
  });

/** Lets the first call's claim reach the table before the next call starts. */
async function untilClaimed(made: () => number): Promise<void> {
  while (made() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('makeCreateOnceIdempotent', () => {
  it('makes a second caller of the same point wait, then answers it with the first one’s resource as existing', async () => {
    // Prepare
    const counting = countingStep();
    const create = idempotent(counting.step, 'wait');
    const first = create(request('a'), localLambdaContext('create', 60));
    await untilClaimed(counting.made);

    // Act
    const whileRunning = await create(request('b'), localLambdaContext('create', 60)).catch((error: Error) => error);
    counting.releaseAll();
    const firstOutcome = await first;
    const afterwards = await create(request('c'), localLambdaContext('create', 60));

    // Assess
    expect(whileRunning).toMatchObject({ name: IDEMPOTENCY_ALREADY_IN_PROGRESS });
    expect(firstOutcome).toEqual({ status: 'created', id: 'a-1' });
    expect(afterwards).toEqual({ status: 'existing', id: 'a-1' });
    expect(counting.made()).toBe(1);
  });

  it('keeps the points of one volume apart: another recovery-point time is another resource', async () => {
    // Prepare
    const counting = countingStep();
    const create = idempotent(counting.step, 'apart');

    // Act
    const both = Promise.all([
      create(request('a', '2025-01-15T11:00:00.000Z'), localLambdaContext('create', 60)),
      create(request('b', '2025-01-15T12:00:00.000Z'), localLambdaContext('create', 60)),
    ]);
    while (counting.made() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    counting.releaseAll();

    // Assess
    expect((await both).map((made) => made.status)).toEqual(['created', 'created']);
  });

  it('frees the point when the step fails, so the next caller runs the step again', async () => {
    // Prepare
    let calls = 0;
    const create = idempotent(async (r) => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('lost answer'), { name: 'InternalServerError' });
      return { status: 'created', id: `${r.caller}-${calls}` };
    }, 'fails');

    // Act
    const failed = await create(request('a'), localLambdaContext('create', 60)).catch((error: Error) => error);
    const retried = await create(request('b'), localLambdaContext('create', 60));

    // Assess
    expect(failed).toMatchObject({ name: 'InternalServerError' });
    expect(retried).toEqual({ status: 'created', id: 'b-2' });
  });

  it('lets the claim of a caller whose Lambda time ran out lapse, so the point is not held for ever', async () => {
    // Prepare: the first caller has 100 ms left and never finishes, as a Lambda killed by its timeout.
    const counting = countingStep();
    const create = idempotent(counting.step, 'lapse');
    void create(request('a'), localLambdaContext('create', 0.1));
    await untilClaimed(counting.made);
    const held = await create(request('b'), localLambdaContext('create', 60)).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 150));

    // Act
    const next = create(request('c'), localLambdaContext('create', 60));
    while (counting.made() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    counting.releaseAll();

    // Assess
    expect(held).toMatchObject({ name: IDEMPOTENCY_ALREADY_IN_PROGRESS });
    expect(await next).toEqual({ status: 'created', id: 'c-2' });
  });

  it('refuses an event without the key instead of running unguarded', async () => {
    // Prepare
    const counting = countingStep();
    const create = idempotent(counting.step, 'nokey');

    // Act
    const refused = await create({ caller: 'a' } as Request, localLambdaContext('create', 60)).catch(
      (error: Error) => error,
    );

    // Assess
    expect(refused).toMatchObject({ name: 'IdempotencyPersistenceLayerError', cause: { name: 'IdempotencyKeyError' } });
    expect(counting.made()).toBe(0);
  });

  it('keeps a record past Step Functions’ 14-day redrive window', () => {
    expect(DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS).toBeGreaterThan(14 * 24 * 60 * 60);
    expect(IDEMPOTENCY_EXPIRY_ATTRIBUTE).toBe('expiration');
  });
});

describe('the local DynamoDB server', () => {
  it('has the idempotency table active as soon as it listens', async () => {
    // Act
    const described = await dynamodb.send(new DescribeTableCommand({ TableName: TABLE }));

    // Assess
    expect(described.Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
  });

  it('stops answering once closed', async () => {
    // Prepare
    const other = createLocalDynamoDbServer({ tables: [] });
    const { url } = await other.listen();

    // Act
    await other.close();

    // Assess
    await expect(fetch(url)).rejects.toThrow();
  });
});
