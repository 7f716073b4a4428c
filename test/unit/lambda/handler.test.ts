import { MAX_ERROR_MESSAGE_LENGTH, MAX_ERROR_STACK_LINES, stepHandler } from '../../../src/lambda/handler.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';

class ServiceError extends Error {
  override readonly name = 'InvalidGatewayRequestException';
}

describe('stepHandler', () => {
  it('lets a failure out with its name, but with a bounded message and stack', async () => {
    // Prepare
    const handler = stepHandler(async () => {
      throw new ServiceError(`volume not found: ${'x'.repeat(5_000)}`);
    });

    // Act
    const failure = await handler({}, localLambdaContext('test', 10)).then(
      () => undefined,
      (error: unknown) => error as Error,
    );

    // Assess
    expect(failure?.name).toBe('InvalidGatewayRequestException');
    expect(failure).toBeInstanceOf(ServiceError);
    expect(failure?.message.length).toBe(MAX_ERROR_MESSAGE_LENGTH);
    expect(failure?.message.startsWith('volume not found: xxx')).toBe(true);
    expect(failure?.stack?.split('\n').length).toBeLessThanOrEqual(MAX_ERROR_STACK_LINES);
  });

  it('leaves short errors as they are and passes results through', async () => {
    // Prepare
    const failing = stepHandler(async () => {
      throw new ServiceError('gateway is offline');
    });
    const working = stepHandler(async (event: { n: number }) => ({ doubled: event.n * 2 }));

    // Act
    const failure = await failing({}, localLambdaContext('test', 10)).catch((error: unknown) => error as Error);
    const result = await working({ n: 21 }, localLambdaContext('test', 10));

    // Assess
    expect(failure?.message).toBe('gateway is offline');
    expect(result).toEqual({ doubled: 42 });
  });
});
