import { CreateTagsCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateSnapshotFromVolumeRecoveryPointCommand,
  ListGatewaysCommand,
  StorageGatewayClient,
} from '@aws-sdk/client-storage-gateway';
import { isTransientNetworkFailure } from '../../../../src/lambda/transient-errors.ts';
import {
  createEmulator,
  DEFAULT_CLOUD_RULES,
  EC2_CREATE_TAGS_BUCKET,
  EC2_DESCRIBE_SNAPSHOTS_BUCKET,
  type FaultRule,
  INVALID_FAULT_RULES,
  NETWORK_FAULT,
} from '../../../../src/local/emulator/index.ts';
import {
  fakeClock,
  type RunningEmulator,
  rejectionOf,
  startEmulator,
  TEST_FLEET,
  VOLUME_ARN,
} from '../../../helpers/emulator.ts';

const CREATE = 'CreateSnapshotFromVolumeRecoveryPoint';
/** How long a test client waits for an answer before it gives up on a hung request. */
const CLIENT_TIMEOUT_MS = 200;

describe('what the cloud does, as the emulator models it', () => {
  let running: RunningEmulator;

  afterEach(async () => {
    await running.stop();
  });

  async function start(faults: FaultRule[], cloud: readonly FaultRule[] = []): Promise<void> {
    running = await startEmulator({ faults, cloud });
  }

  const create = () =>
    running.sgw.send(
      new CreateSnapshotFromVolumeRecoveryPointCommand({ VolumeARN: VOLUME_ARN, SnapshotDescription: 'd' }),
    );
  const describeById = (SnapshotIds: string[]) => running.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds }));
  const describeByTag = () =>
    running.ec2.send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:team', Values: ['storage'] }] }),
    );
  const tag = (id: string) =>
    running.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'team', Value: 'storage' }] }));

  describe('connection resets', () => {
    it.each([
      [false, 0],
      [true, 1],
    ])(
      'destroys the connection (afterEffect %s: %d snapshot made), which the SDK calls a TimeoutError: socket hang up',
      async (afterEffect, made) => {
        // Prepare
        await start([{ operation: CREATE, kind: 'reset', afterEffect }]);

        // Act
        const error = await rejectionOf(create());

        // Assess: under jest's VM modules the SDK wraps Node's error as "AWS SDK error wrapper for TimeoutError: …".
        expect(error.message).toMatch(/TimeoutError: socket hang up|^socket hang up$/);
        expect(isTransientNetworkFailure(error)).toBe(true);
        expect(running.emulator.snapshots()).toHaveLength(made);
        expect(running.emulator.calls).toEqual([
          expect.objectContaining({ operation: CREATE, status: 0, error: NETWORK_FAULT.reset }),
        ]);
      },
    );
  });

  describe('hung requests', () => {
    it.each([
      [false, 0],
      [true, 1],
    ])('answers nothing until the client times out (afterEffect %s: %d snapshot made)', async (afterEffect, made) => {
      // Prepare
      await start([{ operation: CREATE, kind: 'hang', afterEffect }]);
      const sgw = new StorageGatewayClient({
        endpoint: running.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        maxAttempts: 1,
        requestHandler: { requestTimeout: CLIENT_TIMEOUT_MS, throwOnRequestTimeout: true },
      });

      // Act
      const started = Date.now();
      const error = await rejectionOf(
        sgw.send(new CreateSnapshotFromVolumeRecoveryPointCommand({ VolumeARN: VOLUME_ARN, SnapshotDescription: 'd' })),
      );
      sgw.destroy();

      // Assess
      expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(CLIENT_TIMEOUT_MS - 20);
      expect(isTransientNetworkFailure(error)).toBe(true);
      expect(running.emulator.snapshots()).toHaveLength(made);
      expect(running.emulator.calls).toEqual([
        expect.objectContaining({ operation: CREATE, status: 0, error: NETWORK_FAULT.hang }),
      ]);
    });
  });

  describe('5xx answers with an HTML body, as a load balancer gives them', () => {
    it('reach the JSON service client as a SyntaxError with the status, by default 503', async () => {
      // Prepare
      await start([{ operation: 'ListGateways', kind: 'html' }]);

      // Act
      const error = await rejectionOf(running.sgw.send(new ListGatewaysCommand({})));

      // Assess
      expect(error).toBeInstanceOf(SyntaxError);
      expect(error.$metadata?.httpStatusCode).toBe(503);
      expect(isTransientNetworkFailure(error)).toBe(true);
      expect(running.emulator.calls[0]).toMatchObject({ status: 503, error: NETWORK_FAULT.html });
    });

    it('reach the EC2 client as an error without a service name, after the effect when asked', async () => {
      // Prepare
      await start([{ operation: 'CreateTags', kind: 'html', htmlStatus: 502, afterEffect: true }]);
      const id = (await create()).SnapshotId ?? '';

      // Act
      const error = await rejectionOf(tag(id));

      // Assess
      expect(error).toMatchObject({ name: 'Unknown', $metadata: expect.objectContaining({ httpStatusCode: 502 }) });
      expect(isTransientNetworkFailure(error)).toBe(true);
      expect(running.emulator.snapshots()[0]?.tags).toEqual({ team: 'storage' });
    });
  });

  describe("EC2's visibility lag for new snapshots", () => {
    it('hides a snapshot from DescribeSnapshots and CreateTags for visibilityLagMs, then shows it', async () => {
      // Prepare
      await start([{ operation: CREATE, visibilityLagMs: 1_500 }]);
      const id = (
        await running.sgw.send(
          new CreateSnapshotFromVolumeRecoveryPointCommand({
            VolumeARN: VOLUME_ARN,
            SnapshotDescription: 'd',
            Tags: [{ Key: 'team', Value: 'storage' }],
          }),
        )
      ).SnapshotId;
      if (!id) throw new Error('no snapshot id');

      // Act
      const byIdEarly = await rejectionOf(describeById([id]));
      const byTagEarly = await describeByTag();
      const tagEarly = await rejectionOf(tag(id));
      running.clock.advance(1_499);
      const stillHidden = await describeByTag();
      running.clock.advance(1);
      const byIdLater = await describeById([id]);
      const byTagLater = await describeByTag();
      await tag(id);

      // Assess
      expect(byIdEarly.name).toBe('InvalidSnapshot.NotFound');
      expect(byTagEarly.Snapshots).toEqual([]);
      expect(tagEarly.name).toBe('InvalidSnapshot.NotFound');
      expect(stillHidden.Snapshots).toEqual([]);
      expect(byIdLater.Snapshots?.map((s) => s.SnapshotId)).toEqual([id]);
      expect(byTagLater.Snapshots?.map((s) => s.SnapshotId)).toEqual([id]);
      expect(running.emulator.snapshots().map((s) => s.snapshotId)).toEqual([id]);
    });

    it('is among the cloud rules, which setFaults does not replace', async () => {
      // Prepare
      await start([], DEFAULT_CLOUD_RULES);
      const id = (await create()).SnapshotId ?? '';

      // Act
      running.emulator.setFaults([]);
      const hidden = await rejectionOf(describeById([id]));

      // Assess
      expect(hidden.name).toBe('InvalidSnapshot.NotFound');
      expect(DEFAULT_CLOUD_RULES).toContainEqual(
        expect.objectContaining({ operation: CREATE, visibilityLagMs: expect.any(Number) }),
      );
    });
  });

  describe("EC2's request token buckets (the EC2 API's documented figures)", () => {
    it.each([
      ['DescribeSnapshots', EC2_DESCRIBE_SNAPSHOTS_BUCKET, { burst: 100, perSecond: 20 }],
      ['CreateTags', EC2_CREATE_TAGS_BUCKET, { burst: 100, perSecond: 10 }],
    ])('%s: a bucket of %j, as documented', (operation, bucket, documented) => {
      // Assess
      expect(bucket).toEqual(documented);
      expect(DEFAULT_CLOUD_RULES).toContainEqual({ operation, rateLimit: bucket });
    });

    it('lets a burst of 100 DescribeSnapshots through, throttles the next with RequestLimitExceeded, refills 20 a second', async () => {
      // Prepare
      await start([], DEFAULT_CLOUD_RULES);
      const ec2: EC2Client = running.ec2;
      const call = () =>
        ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 5 })).then(
          () => 'ok',
          (error: Error) => error.name,
        );

      // Act
      const burst = await Promise.all(Array.from({ length: 101 }, call));
      running.clock.advance(50);
      const refilled = [await call(), await call()];

      // Assess
      expect(burst.filter((r) => r === 'ok')).toHaveLength(100);
      expect(burst.filter((r) => r === 'RequestLimitExceeded')).toHaveLength(1);
      expect(refilled).toEqual(['ok', 'RequestLimitExceeded']);
    });
  });

  describe('as defaults, settable in the fault rules', () => {
    it("applies EC2's buckets and visibility lag to an emulator given no cloud rules", async () => {
      // Prepare
      const clock = fakeClock();
      const emulator = createEmulator({ fleet: TEST_FLEET, now: clock.now });
      const { url } = await emulator.listen();
      const config = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
      const sgw = new StorageGatewayClient({ ...config, maxAttempts: 1 });
      const ec2 = new EC2Client({ ...config, maxAttempts: 1 });
      try {
        // Act
        const made = await sgw.send(
          new CreateSnapshotFromVolumeRecoveryPointCommand({ VolumeARN: VOLUME_ARN, SnapshotDescription: 'd' }),
        );
        const hidden = await rejectionOf(
          ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [made.SnapshotId ?? ''] })),
        );
        const burst = await Promise.all(
          Array.from({ length: 100 }, () =>
            ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] })).then(
              () => 'ok',
              (error: Error) => error.name,
            ),
          ),
        );

        // Assess: the first describe took one of the bucket's 100 tokens.
        expect(hidden.name).toBe('InvalidSnapshot.NotFound');
        expect(burst.filter((r) => r === 'RequestLimitExceeded')).toHaveLength(1);
      } finally {
        sgw.destroy();
        ec2.destroy();
        await emulator.close();
      }
    });

    it("replaces the cloud's lag and bucket for the calls a fault rule names, and only those", async () => {
      // Prepare
      await start(
        [
          { operation: CREATE, visibilityLagMs: 0 },
          { operation: 'DescribeSnapshots', rateLimit: { perSecond: 1, burst: 2 } },
        ],
        DEFAULT_CLOUD_RULES,
      );
      const id = (await create()).SnapshotId ?? '';

      // Act
      const shown = await describeById([id]);
      const second = await describeByTag();
      const third = await rejectionOf(describeByTag());
      const tagged = await tag(id);

      // Assess
      expect(shown.Snapshots?.map((s) => s.SnapshotId)).toEqual([id]);
      expect(second.Snapshots).toEqual([]);
      expect(third.name).toBe('RequestLimitExceeded');
      expect(tagged.$metadata.httpStatusCode).toBe(200);
    });
  });

  it('rejects a kind it does not know and an HTML status that is not a 5xx', async () => {
    // Prepare
    await start([]);

    // Act
    const badKind = (() => {
      try {
        running.emulator.setFaults([{ operation: CREATE, kind: 'drop' as never }]);
      } catch (error) {
        return error as Error;
      }
    })();
    const badStatus = (() => {
      try {
        running.emulator.setFaults([{ operation: CREATE, kind: 'html', htmlStatus: 404 }]);
      } catch (error) {
        return error as Error;
      }
    })();

    // Assess
    expect(badKind?.name).toBe(INVALID_FAULT_RULES);
    expect(badStatus?.name).toBe(INVALID_FAULT_RULES);
  });
});
