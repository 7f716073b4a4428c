import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTagsCommand, DescribeSnapshotsCommand, EC2Client, type Snapshot } from '@aws-sdk/client-ec2';
import { CreateSnapshotFromVolumeRecoveryPointCommand, StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { createCreateSnapshotHandler } from '../../../functions/create-snapshot/handler.ts';
import { DEFAULT_LOCAL_IDEMPOTENCY_TABLE } from '../../../src/create-once/idempotency-table.ts';
import { IDEMPOTENCY_ALREADY_IN_PROGRESS } from '../../../src/create-once/idempotent.ts';
import type { ExecutionInput } from '../../../src/input/schema.ts';
import {
  createLocalDynamoDbClient,
  createLocalDynamoDbServer,
  type LocalDynamoDbServer,
} from '../../../src/local/dynamodb-server.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { SNAPSHOT_TAG } from '../../../src/snapshot/tags.ts';
import type { CreateTask } from '../../../src/workflow/types.ts';
import { EXECUTION, GATEWAY_ARN, NOW, optionsOf, volumeArn } from '../../helpers/fixtures.ts';
import { ec2Error, STORAGE_GATEWAY_ERRORS } from '../../helpers/sdk-errors.ts';

const storageGateway = mockClient(StorageGatewayClient);
const ec2 = mockClient(EC2Client);
const handler = createCreateSnapshotHandler({
  storageGateway: new StorageGatewayClient({ region: 'us-east-1' }),
  ec2: new EC2Client({ region: 'us-east-1' }),
  now: () => NOW,
});
const context = () => localLambdaContext('createSnapshot', 60);

const VOLUME = volumeArn('vol-1122AABB');
const LISTED_TIME = '2025-01-15T11:00:00.000Z';
const NEWER_TIME = '2025-01-15T11:45:00.000Z';
/** When EC2 started the snapshot that already holds the point. */
const STARTED = new Date('2025-01-15T11:05:00.000Z');

function task(input: ExecutionInput = {}): CreateTask {
  return {
    gatewayArn: GATEWAY_ARN,
    point: { volumeArn: VOLUME, recoveryPointTime: LISTED_TIME, sizeBytes: 1_000 },
    options: optionsOf(input),
    execution: EXECUTION,
  };
}

function existing(state: Snapshot['State']): Snapshot {
  return {
    SnapshotId: 'snap-0000000000000000e',
    State: state,
    StartTime: STARTED,
    Tags: [
      { Key: SNAPSHOT_TAG.volumeArn, Value: VOLUME },
      { Key: SNAPSHOT_TAG.recoveryPointTime, Value: LISTED_TIME },
    ],
  };
}

beforeEach(() => {
  storageGateway.reset();
  ec2.reset();
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  ec2.on(CreateTagsCommand).resolves({});
  storageGateway
    .on(CreateSnapshotFromVolumeRecoveryPointCommand)
    .resolves({ SnapshotId: 'snap-0123456789abcdef0', VolumeARN: VOLUME, VolumeRecoveryPointTime: LISTED_TIME });
});
afterAll(() => {
  storageGateway.restore();
  ec2.restore();
});

describe('create-snapshot handler', () => {
  it('returns the snapshot of this recovery point that already exists, made when EC2 started it, and creates nothing', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [existing('pending')] });

    // Act
    const outcome = await handler(task(), context());

    // Assess
    expect(outcome).toEqual({
      volumeArn: VOLUME,
      recoveryPointTime: LISTED_TIME,
      snapshotId: 'snap-0000000000000000e',
      status: 'existing',
      sizeBytes: 1_000,
      snapshotTime: STARTED.toISOString(),
    });
    expect(storageGateway.calls()).toHaveLength(0);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: `tag:${SNAPSHOT_TAG.volumeArn}`, Values: [VOLUME] },
      { Name: `tag:${SNAPSHOT_TAG.recoveryPointTime}`, Values: [LISTED_TIME] },
    ]);
  });

  it('creates a new snapshot when the only earlier one ended in error', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [existing('error')] });

    // Act
    const outcome = await handler(task(), context());

    // Assess
    expect(outcome).toMatchObject({
      snapshotId: 'snap-0123456789abcdef0',
      status: 'created',
      snapshotTime: new Date(NOW).toISOString(),
    });
    expect(storageGateway.commandCalls(CreateSnapshotFromVolumeRecoveryPointCommand)).toHaveLength(1);
  });

  it("creates the snapshot with the rendered description, the user's tags and ours, made at the clock's time", async () => {
    // Act
    const outcome = await handler(
      task({
        snapshotDescription: '{volumeId}@{recoveryPointTime} ({gatewayId}, {executionName})',
        tags: { team: 'storage' },
      }),
      context(),
    );

    // Assess
    expect(outcome).toEqual({
      volumeArn: VOLUME,
      recoveryPointTime: LISTED_TIME,
      snapshotId: 'snap-0123456789abcdef0',
      status: 'created',
      sizeBytes: 1_000,
      snapshotTime: new Date(NOW).toISOString(),
    });
    expect(storageGateway.commandCalls(CreateSnapshotFromVolumeRecoveryPointCommand)[0]?.args[0].input).toEqual({
      VolumeARN: VOLUME,
      SnapshotDescription: `vol-1122AABB@${LISTED_TIME} (sgw-12A3456B, run-1)`,
      Tags: [
        { Key: 'team', Value: 'storage' },
        { Key: SNAPSHOT_TAG.gatewayArn, Value: GATEWAY_ARN },
        { Key: SNAPSHOT_TAG.volumeArn, Value: VOLUME },
        { Key: SNAPSHOT_TAG.recoveryPointTime, Value: LISTED_TIME },
        { Key: SNAPSHOT_TAG.execution, Value: EXECUTION.id },
      ],
    });
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('retags a snapshot whose recovery point moved on since the listing, and reports the time it holds', async () => {
    // Prepare
    storageGateway
      .on(CreateSnapshotFromVolumeRecoveryPointCommand)
      .resolves({ SnapshotId: 'snap-0123456789abcdef0', VolumeARN: VOLUME, VolumeRecoveryPointTime: NEWER_TIME });

    // Act
    const outcome = await handler(task(), context());

    // Assess
    expect(outcome).toMatchObject({
      recoveryPointTime: NEWER_TIME,
      snapshotId: 'snap-0123456789abcdef0',
      status: 'created',
    });
    expect(ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input)).toEqual([
      { Resources: ['snap-0123456789abcdef0'], Tags: [{ Key: SNAPSHOT_TAG.recoveryPointTime, Value: NEWER_TIME }] },
    ]);
  });

  it.each(Object.keys(STORAGE_GATEWAY_ERRORS))(
    'lets %s from CreateSnapshotFromVolumeRecoveryPoint reach the state machine by name',
    async (name) => {
      // Prepare
      storageGateway.on(CreateSnapshotFromVolumeRecoveryPointCommand).rejects(STORAGE_GATEWAY_ERRORS[name]?.());

      // Act
      const act = handler(task(), context());

      // Assess
      await expect(act).rejects.toMatchObject({ name });
    },
  );

  it('lets an EC2 error while retagging reach the state machine by name', async () => {
    // Prepare
    storageGateway
      .on(CreateSnapshotFromVolumeRecoveryPointCommand)
      .resolves({ SnapshotId: 'snap-0123456789abcdef0', VolumeRecoveryPointTime: NEWER_TIME });
    ec2.on(CreateTagsCommand).rejects(ec2Error('RequestLimitExceeded'));

    // Act
    const act = handler(task(), context());

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
  });
});

describe('create-snapshot handler with the idempotency table', () => {
  let server: LocalDynamoDbServer;
  let dynamodb: DynamoDBClient;
  let guarded: ReturnType<typeof createCreateSnapshotHandler>;

  beforeAll(async () => {
    server = createLocalDynamoDbServer({ tables: [DEFAULT_LOCAL_IDEMPOTENCY_TABLE] });
    dynamodb = createLocalDynamoDbClient((await server.listen()).url, 'us-east-1');
    guarded = createCreateSnapshotHandler({
      storageGateway: new StorageGatewayClient({ region: 'us-east-1' }),
      ec2: new EC2Client({ region: 'us-east-1' }),
      now: () => NOW,
      idempotency: { dynamodb, tableName: DEFAULT_LOCAL_IDEMPOTENCY_TABLE },
    });
  });
  afterAll(async () => {
    dynamodb.destroy();
    await server.close();
  });

  it('answers a second execution of the same recovery point with the first one’s snapshot, as existing, asking AWS nothing', async () => {
    // Prepare
    const point = { ...task(), point: { ...task().point, recoveryPointTime: '2025-01-15T11:10:00.000Z' } };
    const first = await guarded(point, context());
    storageGateway.resetHistory();
    ec2.resetHistory();

    // Act
    const second = await guarded({ ...point, execution: { ...EXECUTION, name: 'another' } }, context());

    // Assess
    expect(first.status).toBe('created');
    expect(second).toEqual({ ...first, status: 'existing' });
    expect([...storageGateway.calls(), ...ec2.calls()]).toHaveLength(0);
  });

  it('tells a caller that arrives while the first one creates to wait, by the error name the ASL retries', async () => {
    // Prepare
    const point = { ...task(), point: { ...task().point, recoveryPointTime: '2025-01-15T11:20:00.000Z' } };
    let answer: (value: { SnapshotId: string; VolumeRecoveryPointTime: string }) => void = () => {};
    storageGateway
      .on(CreateSnapshotFromVolumeRecoveryPointCommand)
      .callsFake(() => new Promise((resolve) => (answer = resolve)));
    const first = guarded(point, context());
    while (storageGateway.calls().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    // Act
    const second = await guarded(point, context()).catch((error: Error) => error);
    answer({ SnapshotId: 'snap-0123456789abcdef1', VolumeRecoveryPointTime: point.point.recoveryPointTime });

    // Assess
    expect(second).toMatchObject({ name: IDEMPOTENCY_ALREADY_IN_PROGRESS });
    expect(await first).toMatchObject({ status: 'created', snapshotId: 'snap-0123456789abcdef1' });
    expect(storageGateway.commandCalls(CreateSnapshotFromVolumeRecoveryPointCommand)).toHaveLength(1);
  });

  it('asks EC2 nothing before a first create of a point the list step saw no snapshot of', async () => {
    // Prepare
    const point = { ...task(), point: { ...task().point, recoveryPointTime: '2025-01-15T11:30:00.000Z' } };

    // Act
    const outcome = await guarded(point, context());

    // Assess
    expect(outcome.status).toBe('created');
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(0);
  });

  it('finds the snapshot an attempt made before its answer was lost, instead of making a second', async () => {
    // Prepare: the first attempt's create takes effect, then its answer is lost.
    const point = { ...task(), point: { ...task().point, recoveryPointTime: '2025-01-15T11:40:00.000Z' } };
    storageGateway
      .on(CreateSnapshotFromVolumeRecoveryPointCommand)
      .rejects(STORAGE_GATEWAY_ERRORS.InternalServerError?.());
    const first = await guarded(point, context()).catch((error: Error) => error);
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        {
          ...existing('pending'),
          Tags: [
            { Key: SNAPSHOT_TAG.volumeArn, Value: VOLUME },
            { Key: SNAPSHOT_TAG.recoveryPointTime, Value: point.point.recoveryPointTime },
          ],
        },
      ],
    });

    // Act
    const retried = await guarded(point, context());

    // Assess
    expect(first).toMatchObject({ name: 'InternalServerError' });
    expect(retried).toMatchObject({ status: 'existing', snapshotId: 'snap-0000000000000000e' });
    expect(storageGateway.commandCalls(CreateSnapshotFromVolumeRecoveryPointCommand)).toHaveLength(1);
  });

  it('creates at once, asking EC2 nothing, after an attempt Storage Gateway refused', async () => {
    // Prepare
    const point = { ...task(), point: { ...task().point, recoveryPointTime: '2025-01-15T11:50:00.000Z' } };
    storageGateway
      .on(CreateSnapshotFromVolumeRecoveryPointCommand)
      .rejectsOnce(STORAGE_GATEWAY_ERRORS.ThrottlingException?.())
      .resolves({ SnapshotId: 'snap-0123456789abcdef2', VolumeRecoveryPointTime: point.point.recoveryPointTime });
    const first = await guarded(point, context()).catch((error: Error) => error);

    // Act
    const retried = await guarded(point, context());

    // Assess
    expect(first).toMatchObject({ name: 'ThrottlingException' });
    expect(retried).toMatchObject({ status: 'created', snapshotId: 'snap-0123456789abcdef2' });
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(0);
  });
});
