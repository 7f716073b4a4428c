import { CreateTagsCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateSnapshotFromVolumeRecoveryPointCommand, StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import {
  EC2_VISIBILITY_BOUND_MS,
  EC2_VISIBILITY_DELAYS_MS,
  SNAPSHOT_NOT_FOUND,
} from '../../../src/aws/ec2-visibility.ts';
import { recoveryPointSnapshot } from '../../../src/snapshot/recovery-point-snapshot.ts';
import { SNAPSHOT_TAG } from '../../../src/snapshot/tags.ts';
import type { CreateTask } from '../../../src/workflow/types.ts';
import { EXECUTION, GATEWAY_ARN, optionsOf, volumeArn } from '../../helpers/fixtures.ts';
import { ec2Error, STORAGE_GATEWAY_ERRORS } from '../../helpers/sdk-errors.ts';

const ec2 = mockClient(EC2Client);
const storageGateway = mockClient(StorageGatewayClient);
const clients = { storageGateway: new StorageGatewayClient({ region: 'us-east-1' }), ec2: new EC2Client({}) };
const LISTED_TIME = '2025-01-15T11:00:00.000Z';
const NEWER_TIME = '2025-01-15T11:45:00.000Z';
const MOVED = { snapshotId: 'snap-0123456789abcdef0', recoveryPointTime: NEWER_TIME };
const TASK: CreateTask = {
  gatewayArn: GATEWAY_ARN,
  point: { volumeArn: volumeArn('vol-1122AABB'), recoveryPointTime: LISTED_TIME, sizeBytes: 1_000 },
  options: optionsOf({}),
  execution: EXECUTION,
};

/** EC2's answer of a snapshot of the listed point. */
const ofThePoint = {
  SnapshotId: MOVED.snapshotId,
  State: 'pending' as const,
  Tags: [
    { Key: SNAPSHOT_TAG.volumeArn, Value: TASK.point.volumeArn },
    { Key: SNAPSHOT_TAG.recoveryPointTime, Value: LISTED_TIME },
  ],
};

/** A sleep that only notes how long it was asked to wait. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => waits.push(ms) };
}

beforeEach(() => {
  ec2.reset();
  storageGateway.reset();
});
afterAll(() => {
  ec2.restore();
  storageGateway.restore();
});

describe('recoveryPointSnapshot record, under EC2 eventual consistency', () => {
  it('retags once EC2 shows the new snapshot, backing off while it answers InvalidSnapshot.NotFound', async () => {
    // Prepare
    ec2
      .on(CreateTagsCommand)
      .rejectsOnce(ec2Error(SNAPSHOT_NOT_FOUND))
      .rejectsOnce(ec2Error(SNAPSHOT_NOT_FOUND))
      .resolves({});
    const { waits, sleep } = recordingSleep();

    // Act
    await recoveryPointSnapshot(clients, TASK, { sleep }).record(MOVED);

    // Assess
    expect(waits).toEqual(EC2_VISIBILITY_DELAYS_MS.slice(0, 2));
    const calls = ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(3);
    expect(calls[2]).toEqual({
      Resources: [MOVED.snapshotId],
      Tags: [{ Key: SNAPSHOT_TAG.recoveryPointTime, Value: NEWER_TIME }],
    });
  });

  it('returns, with the tag stale, when EC2 never shows the snapshot within the bound: the volume has its snapshot', async () => {
    // Prepare
    ec2.on(CreateTagsCommand).rejects(ec2Error(SNAPSHOT_NOT_FOUND));
    const { waits, sleep } = recordingSleep();

    // Act
    const act = recoveryPointSnapshot(clients, TASK, { delaysMs: [10, 20, 40], sleep }).record(MOVED);

    // Assess
    await expect(act).resolves.toBeUndefined();
    expect(waits).toEqual([10, 20, 40]);
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(4);
  });

  it("waits in all, even twice in one invocation (a find, then a create's wait), less than the Task timeout by default", () => {
    // Act: the unified schedule waits 15.75 s at most (this create's own waited 7.75 s).
    const total = EC2_VISIBILITY_BOUND_MS;

    // Assess
    expect(total).toBeGreaterThanOrEqual(2_000);
    expect(2 * total).toBeLessThan(60_000 * 0.6);
  });

  it('lets any other EC2 error reach the state machine by name, at once', async () => {
    // Prepare
    ec2.on(CreateTagsCommand).rejects(ec2Error('UnauthorizedOperation'));
    const { waits, sleep } = recordingSleep();

    // Act
    const act = recoveryPointSnapshot(clients, TASK, { sleep }).record(MOVED);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
    expect(waits).toEqual([]);
  });

  it('tags nothing when the snapshot holds the listed point', async () => {
    // Act
    await recoveryPointSnapshot(clients, TASK).record({ ...MOVED, recoveryPointTime: LISTED_TIME });

    // Assess
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });
});

describe('recoveryPointSnapshot create, when its call may have made the snapshot all the same', () => {
  const reset = () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });

  it('waits until EC2 shows the snapshot, then fails with the original error so the retry finds it', async () => {
    // Prepare
    const error = reset();
    storageGateway.on(CreateSnapshotFromVolumeRecoveryPointCommand).rejects(error);
    ec2
      .on(DescribeSnapshotsCommand)
      .resolvesOnce({ Snapshots: [] })
      .resolves({ Snapshots: [ofThePoint] });
    const { waits, sleep } = recordingSleep();

    // Act
    const act = recoveryPointSnapshot(clients, TASK, { sleep }).create();

    // Assess
    await expect(act).rejects.toBe(error);
    expect(waits).toEqual(EC2_VISIBILITY_DELAYS_MS.slice(0, 2));
  });

  it('waits the whole backoff when EC2 shows nothing (the call had no effect), looking past a throttled look', async () => {
    // Prepare
    const error = Object.assign(new SyntaxError('not JSON'), { $metadata: { httpStatusCode: 503 } });
    storageGateway.on(CreateSnapshotFromVolumeRecoveryPointCommand).rejects(error);
    ec2.on(DescribeSnapshotsCommand).rejectsOnce(ec2Error('RequestLimitExceeded')).resolves({ Snapshots: [] });
    const { waits, sleep } = recordingSleep();

    // Act
    const act = recoveryPointSnapshot(clients, TASK, { delaysMs: [1, 2, 3], sleep }).create();

    // Assess
    await expect(act).rejects.toBe(error);
    expect(waits).toEqual([1, 2, 3]);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(3);
  });

  it.each([
    ['a refusal', () => STORAGE_GATEWAY_ERRORS.InvalidGatewayRequestException?.()],
    [
      'a named 500, left to the Task retry',
      () =>
        Object.assign(STORAGE_GATEWAY_ERRORS.InternalServerError?.() ?? new Error(), {
          $metadata: { httpStatusCode: 500 },
        }),
    ],
    ['throttling', () => STORAGE_GATEWAY_ERRORS.ThrottlingException?.()],
  ])('fails at once on %s', async (_kind, make) => {
    // Prepare
    const error = make();
    storageGateway.on(CreateSnapshotFromVolumeRecoveryPointCommand).rejects(error);
    const { waits, sleep } = recordingSleep();

    // Act
    const act = recoveryPointSnapshot(clients, TASK, { sleep }).create();

    // Assess
    await expect(act).rejects.toBe(error);
    expect(waits).toEqual([]);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(0);
  });
});

describe('recoveryPointSnapshot find, after an earlier attempt that may have made the snapshot', () => {
  it('looks again, past a throttled look, until EC2 shows the snapshot the earlier attempt made', async () => {
    // Prepare
    ec2
      .on(DescribeSnapshotsCommand)
      .resolvesOnce({ Snapshots: [] })
      .rejectsOnce(ec2Error('RequestLimitExceeded'))
      .resolves({ Snapshots: [ofThePoint] });
    const { waits, sleep } = recordingSleep();
    const now = 10_000;

    // Act
    const found = await recoveryPointSnapshot(clients, TASK, { sleep, now: () => now }).find({ at: now - 100 });

    // Assess
    expect(found).toMatchObject({ snapshotId: MOVED.snapshotId, recoveryPointTime: LISTED_TIME });
    expect(waits).toEqual(EC2_VISIBILITY_DELAYS_MS.slice(0, 2));
  });

  it('looks once when the earlier attempt began longer ago than EC2 could hide its snapshot', async () => {
    // Prepare
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    const { waits, sleep } = recordingSleep();
    const now = 100_000;
    const longAgo = now - EC2_VISIBILITY_BOUND_MS;

    // Act
    const found = await recoveryPointSnapshot(clients, TASK, { sleep, now: () => now }).find({ at: longAgo });

    // Assess
    expect(found).toBeUndefined();
    expect(waits).toEqual([]);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(1);
  });
});
