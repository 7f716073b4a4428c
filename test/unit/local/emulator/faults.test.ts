import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import {
  CreateSnapshotFromVolumeRecoveryPointCommand,
  ListGatewaysCommand,
  ListVolumeRecoveryPointsCommand,
} from '@aws-sdk/client-storage-gateway';
import { type FaultRule, INVALID_FAULT_RULES } from '../../../../src/local/emulator/index.ts';
import {
  CACHED_GATEWAY_ARN,
  type RunningEmulator,
  rejectionOf,
  startEmulator,
  UNUSED_VOLUME_ARN,
  VOLUME_ARN,
} from '../../../helpers/emulator.ts';

const CREATE = 'CreateSnapshotFromVolumeRecoveryPoint';

describe('fault injection', () => {
  let running: RunningEmulator;

  afterEach(async () => {
    await running.stop();
  });

  async function start(faults: FaultRule[], seed?: number): Promise<void> {
    running = await startEmulator({ faults, seed });
  }

  const create = (VolumeARN: string) =>
    running.sgw.send(new CreateSnapshotFromVolumeRecoveryPointCommand({ VolumeARN, SnapshotDescription: 'd' }));

  async function outcomes(count: number, call: () => Promise<unknown>): Promise<string[]> {
    const results = [];
    for (let i = 0; i < count; i += 1) {
      results.push(
        await call().then(
          () => 'ok',
          (error: Error) => error.name,
        ),
      );
    }
    return results;
  }

  it.each([
    ['InternalServerError', 500, 'InternalError'],
    ['ServiceUnavailableError', 503, 'ServiceUnavailable'],
    ['InvalidGatewayRequestException', 400, 'InvalidGateway'],
  ])('answers %s with status %d and errorCode %s', async (name, status, errorCode) => {
    // Prepare
    await start([{ operation: 'ListGateways', error: name }]);

    // Act
    const error = await rejectionOf(running.sgw.send(new ListGatewaysCommand({})));

    // Assess
    expect(error).toMatchObject({ name, error: { errorCode } });
    expect(error.$metadata?.httpStatusCode).toBe(status);
  });

  it('fails the first N calls, then serves', async () => {
    // Prepare
    await start([{ operation: CREATE, firstN: 2, error: 'ServiceUnavailableError' }]);

    // Act
    const results = await outcomes(3, () => create(VOLUME_ARN));

    // Assess
    expect(results).toEqual(['ServiceUnavailableError', 'ServiceUnavailableError', 'ok']);
    expect(running.emulator.snapshots()).toHaveLength(1);
  });

  it('fails only the volume or gateway named by the rule', async () => {
    // Prepare
    await start([
      { operation: CREATE, volumeArn: UNUSED_VOLUME_ARN, error: 'ServiceUnavailableError' },
      { operation: 'ListVolumeRecoveryPoints', gatewayArn: CACHED_GATEWAY_ARN, rate: 1 },
    ]);

    // Act
    const results = [
      ...(await outcomes(1, () => create(VOLUME_ARN))),
      ...(await outcomes(1, () => create(UNUSED_VOLUME_ARN))),
      ...(await outcomes(1, () =>
        running.sgw.send(new ListVolumeRecoveryPointsCommand({ GatewayARN: CACHED_GATEWAY_ARN })),
      )),
    ];

    // Assess: a rule with a rate but no error name fails with the internal error
    expect(results).toEqual(['ok', 'ServiceUnavailableError', 'InternalServerError']);
  });

  it('fails a seeded share of calls, the same ones for the same seed', async () => {
    // Prepare
    const rule: FaultRule = { operation: 'ListGateways', rate: 0.5, error: 'ThrottlingException' };
    await start([rule], 42);
    const first = await outcomes(40, () => running.sgw.send(new ListGatewaysCommand({})));
    await running.stop();
    await start([rule], 42);

    // Act
    const again = await outcomes(40, () => running.sgw.send(new ListGatewaysCommand({})));

    // Assess
    expect(again).toEqual(first);
    const failures = first.filter((r) => r !== 'ok').length;
    expect(failures).toBeGreaterThan(10);
    expect(failures).toBeLessThan(30);
  });

  it('performs the operation and then fails it when afterEffect is set', async () => {
    // Prepare
    await start([{ operation: CREATE, firstN: 1, error: 'InternalServerError', afterEffect: true }]);

    // Act
    const error = await rejectionOf(create(VOLUME_ARN));

    // Assess: the caller saw an error, yet the snapshot exists
    expect(error.name).toBe('InternalServerError');
    expect(running.emulator.snapshots()).toEqual([expect.objectContaining({ volumeArn: VOLUME_ARN })]);
  });

  it('throttles beyond the token bucket with "Rate exceeded" and refills with time', async () => {
    // Prepare
    await start([{ operation: 'ListGateways', rateLimit: { perSecond: 2, burst: 2 } }]);
    const list = () => running.sgw.send(new ListGatewaysCommand({}));

    // Act
    const burst = await outcomes(3, list);
    const message = (await rejectionOf(list())).message;
    running.clock.advance(500);
    const refilled = await outcomes(2, list);

    // Assess
    expect(burst).toEqual(['ok', 'ok', 'ThrottlingException']);
    expect(message).toBe('Rate exceeded');
    expect(refilled).toEqual(['ok', 'ThrottlingException']);
  });

  it('throttles EC2 with RequestLimitExceeded', async () => {
    // Prepare
    await start([{ operation: 'DescribeSnapshots', rateLimit: { perSecond: 1, burst: 1 } }]);
    const describe = () => running.ec2.send(new DescribeSnapshotsCommand({}));

    // Act
    const results = await outcomes(2, describe);

    // Assess
    expect(results).toEqual(['ok', 'RequestLimitExceeded']);
  });

  it('delays answers by latencyMs', async () => {
    // Prepare
    await start([{ operation: '*', latencyMs: 60 }]);
    const started = performance.now();

    // Act
    await running.sgw.send(new ListGatewaysCommand({}));

    // Assess
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('replaces the rules at run time', async () => {
    // Prepare
    await start([{ operation: 'ListGateways', error: 'InternalServerError' }]);
    const before = await outcomes(1, () => running.sgw.send(new ListGatewaysCommand({})));

    // Act
    running.emulator.setFaults([]);
    const after = await outcomes(1, () => running.sgw.send(new ListGatewaysCommand({})));

    // Assess
    expect([...before, ...after]).toEqual(['InternalServerError', 'ok']);
  });

  it('rejects rules that break the schema', async () => {
    // Prepare
    await start([]);

    // Act
    const act = () => running.emulator.setFaults([{ operation: CREATE, rate: 2 }]);

    // Assess
    expect(act).toThrow(
      expect.objectContaining({ name: INVALID_FAULT_RULES, message: expect.stringContaining('rate') }),
    );
  });
});
