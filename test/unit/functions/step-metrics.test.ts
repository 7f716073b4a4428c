import { DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  ListGatewaysCommand,
  ListVolumeRecoveryPointsCommand,
  StorageGatewayClient,
} from '@aws-sdk/client-storage-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { API_METRICS } from '../../../src/monitoring/metrics.ts';
import { captureEmf, lambdaMetricsEnvironment, valuesOf } from '../../helpers/emf.ts';
import { EXECUTION, GATEWAY_ARN, optionsOf, volumeArn } from '../../helpers/fixtures.ts';
import { ec2Error, STORAGE_GATEWAY_ERRORS } from '../../helpers/sdk-errors.ts';

// As Lambda runs them: metrics on, the stack's namespace, an on-demand instance. Set before the handlers load.
lambdaMetricsEnvironment('sgw-recovery-snapshots-test');
const { createPlanHandler } = await import('../../../functions/plan/handler.ts');
const { createListRecoveryPointsHandler } = await import('../../../functions/list-recovery-points/handler.ts');

const storageGateway = mockClient(StorageGatewayClient);
const ec2 = mockClient(EC2Client);
afterAll(() => {
  storageGateway.restore();
  ec2.restore();
});

/** A recovery point two hours old: the step asks EC2 for its snapshots. */
const POINT = {
  VolumeARN: volumeArn('vol-00000001'),
  VolumeRecoveryPointTime: new Date(Date.now() - 2 * 3_600_000).toISOString(),
  VolumeSizeInBytes: 1_000,
  VolumeUsageInBytes: 100,
};
const throttled = () => (STORAGE_GATEWAY_ERRORS.ThrottlingException as () => Error)();
const plan = createPlanHandler({ storageGateway: new StorageGatewayClient({ region: 'us-east-1' }) });
const listRecoveryPoints = createListRecoveryPointsHandler({
  storageGateway: new StorageGatewayClient({ region: 'us-east-1' }),
  ec2: new EC2Client({ region: 'us-east-1' }),
  now: Date.now,
});

describe('the EMF lines of the steps that call Storage Gateway and EC2', () => {
  it('plan: its cold start, then a throttled ListGateways counted as a retried API error and a throttle', async () => {
    // Prepare
    storageGateway.on(ListGatewaysCommand).rejects(throttled());

    // Act
    const { lines, error } = await captureEmf(() =>
      plan({ input: {}, execution: EXECUTION }, localLambdaContext('plan', 100)),
    );

    // Assess
    expect(error).toMatchObject({ name: 'ThrottlingException' });
    expect(lines.map((line) => [line.function_name, valuesOf(line)])).toEqual([
      ['plan', { ColdStart: 1 }],
      [undefined, { [API_METRICS.retried]: 1, [API_METRICS.throttled]: 1 }],
    ]);
  });

  it.each([
    [
      'a throttled ListVolumeRecoveryPoints',
      () => storageGateway.on(ListVolumeRecoveryPointsCommand).rejects(throttled()),
    ],
    [
      "EC2's RequestLimitExceeded",
      () => {
        storageGateway
          .on(ListVolumeRecoveryPointsCommand)
          .resolves({ GatewayARN: GATEWAY_ARN, VolumeRecoveryPointInfos: [POINT] });
        ec2.on(DescribeSnapshotsCommand).rejects(ec2Error('RequestLimitExceeded'));
      },
    ],
  ])('listRecoveryPoints: %s, one line of a retried API error and a throttle', async (_, arrange) => {
    // Prepare
    storageGateway.reset();
    ec2.reset();
    arrange();

    // Act
    const { lines, error } = await captureEmf(() =>
      listRecoveryPoints(
        { gatewayArn: GATEWAY_ARN, options: optionsOf(), execution: EXECUTION },
        localLambdaContext('listRecoveryPoints', 100),
      ),
    );

    // Assess
    expect(error).toBeDefined();
    expect(lines.map(valuesOf)).toEqual([{ [API_METRICS.retried]: 1, [API_METRICS.throttled]: 1 }]);
  });
});
