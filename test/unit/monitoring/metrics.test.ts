import { TransientNetworkError } from '../../../src/errors.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { API_METRICS } from '../../../src/monitoring/metrics.ts';
import { captureEmf, lambdaMetricsEnvironment, valuesOf } from '../../helpers/emf.ts';
import { ec2Error, STORAGE_GATEWAY_ERRORS } from '../../helpers/sdk-errors.ts';

const NAMESPACE = 'sgw-recovery-snapshots-test';
lambdaMetricsEnvironment(NAMESPACE);
const { stepHandler } = await import('../../../src/lambda/handler.ts');

const storageGatewayError = (name: string) => (STORAGE_GATEWAY_ERRORS[name] as () => Error)();
describe('the metrics of every step (EMF lines)', () => {
  it('writes the cold start once, with the function name as its only dimension beside the service', async () => {
    // Prepare
    const step = stepHandler(async () => 'done');
    const context = localLambdaContext('createSnapshot', 30);

    // Act
    const first = await captureEmf(() => step({}, context));
    const second = await captureEmf(() => step({}, context));

    // Assess
    const coldStarts = [...first.lines, ...second.lines].filter((line) => 'ColdStart' in line);
    expect(coldStarts).toHaveLength(1);
    expect(coldStarts[0]).toEqual(
      expect.objectContaining({ function_name: 'createSnapshot', service: 'sgw-recovery-snapshots', ColdStart: 1 }),
    );
    expect(coldStarts[0]?._aws.CloudWatchMetrics).toEqual([
      expect.objectContaining({
        Namespace: NAMESPACE,
        Dimensions: [['service', 'function_name']],
        Metrics: [{ Name: 'ColdStart', Unit: 'Count' }],
      }),
    ]);
    // A step that adds no metric writes no line of its own.
    expect(second.lines).toEqual([]);
  });

  it.each([
    [
      'a throttle',
      storageGatewayError('ThrottlingException'),
      { [API_METRICS.retried]: 1, [API_METRICS.throttled]: 1 },
    ],
    ["EC2's throttle", ec2Error('RequestLimitExceeded'), { [API_METRICS.retried]: 1, [API_METRICS.throttled]: 1 }],
    ['a 5xx', storageGatewayError('InternalServerError'), { [API_METRICS.retried]: 1 }],
    ['no answer', new TransientNetworkError('socket hang up'), { [API_METRICS.retried]: 1 }],
  ])(
    'counts a failure the state machine retries (%s), and flushes it although the step failed',
    async (_, thrown, values) => {
      // Prepare
      const step = stepHandler(async () => {
        throw thrown;
      });

      // Act
      const { lines, error } = await captureEmf(() => step({}, localLambdaContext('listRecoveryPoints', 30)));

      // Assess
      expect(error).toBe(thrown);
      const apiLines = lines.filter((line) => API_METRICS.retried in line);
      expect(apiLines.map(valuesOf)).toEqual([values]);
      expect(apiLines[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
    },
  );

  it('counts nothing for an error the state machine does not retry', async () => {
    // Prepare
    const step = stepHandler(async () => {
      throw new RangeError('bad input');
    });
    const context = localLambdaContext('plan', 30);
    await captureEmf(() => step({}, context));

    // Act
    const { lines, error } = await captureEmf(() => step({}, context));

    // Assess
    expect(error).toBeInstanceOf(RangeError);
    expect(lines).toEqual([]);
  });
});
