import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { StorageGatewayServiceException } from '@aws-sdk/client-storage-gateway';
import { InvalidInputError, TRANSIENT_NETWORK_ERROR, TransientNetworkError } from '../../../src/errors.ts';
import { MAX_ERROR_MESSAGE_LENGTH, stepHandler } from '../../../src/lambda/handler.ts';
import { isTransientNetworkFailure, toTransientNetworkError } from '../../../src/lambda/transient-errors.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { ec2Error, STORAGE_GATEWAY_ERRORS } from '../../helpers/sdk-errors.ts';

/** An error with the fields the SDK adds, as it throws them for failures that never reached the service's parser. */
function sdkError<E extends Error>(error: E, fields: Record<string, unknown>): E {
  return Object.assign(error, fields);
}

const attempt = { attempts: 1, totalRetryDelay: 0 };

// Each shape as the SDK v3 (node-http-handler 4.x) surfaced it against a local server that reset, refused, hung
// or answered an HTML page (the emulator's `reset`, `hang` and `html` fault kinds).
const TRANSIENT: [string, () => Error][] = [
  [
    'a reset: TimeoutError, ECONNRESET, "socket hang up"',
    () => sdkError(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET', $metadata: attempt }),
  ],
  [
    'a request timeout: TimeoutError, ETIMEDOUT',
    () =>
      sdkError(new Error('a request has exceeded the configured 5000 ms requestTimeout.'), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
        $metadata: attempt,
      }),
  ],
  [
    'a refused connection: Error, ECONNREFUSED',
    () => sdkError(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', $metadata: attempt }),
  ],
  ['a broken pipe without $metadata: Error, EPIPE', () => sdkError(new Error('write EPIPE'), { code: 'EPIPE' })],
  [
    'a reset from another realm, wrapped by the SDK',
    () => new Error('AWS SDK error wrapper for TimeoutError: socket hang up'),
  ],
  [
    'a refused connection from another realm, wrapped by the SDK',
    () => new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1'),
  ],
  [
    'a reset that is not an Error of this realm',
    () => ({ name: 'TimeoutError', message: 'socket hang up', code: 'ECONNRESET' }),
  ],
  [
    'an HTML 503 from a JSON service: SyntaxError with HTTP 503',
    () =>
      sdkError(new SyntaxError(`Unexpected token '<', "<html><bod"... is not valid JSON`), {
        $metadata: { ...attempt, httpStatusCode: 503 },
      }),
  ],
  [
    'an HTML 502 from EC2: Unknown, server fault, HTTP 502',
    () =>
      new EC2ServiceException({
        name: 'Unknown',
        $fault: 'server',
        message: 'Unknown',
        $metadata: { ...attempt, httpStatusCode: 502 },
      }),
  ],
  [
    'an empty 500 from Storage Gateway: Unknown, HTTP 500',
    () =>
      new StorageGatewayServiceException({
        name: 'Unknown',
        $fault: 'server',
        message: 'UnknownError',
        $metadata: { ...attempt, httpStatusCode: 500 },
      }),
  ],
];

const NOT_TRANSIENT: [string, () => unknown][] = [
  ['a named 500 of Storage Gateway (the ASL retries it by name)', () => STORAGE_GATEWAY_ERRORS.InternalServerError?.()],
  ['a permanent Storage Gateway error', () => STORAGE_GATEWAY_ERRORS.InvalidGatewayRequestException?.()],
  ['EC2 throttling (retried by name)', () => ec2Error('RequestLimitExceeded')],
  ['a snapshot EC2 does not know', () => ec2Error('InvalidSnapshot.NotFound')],
  [
    'a named service error with a 5xx status',
    () =>
      new EC2ServiceException({
        name: 'InternalError',
        $fault: 'server',
        message: 'x',
        $metadata: { httpStatusCode: 500 },
      }),
  ],
  [
    'an unreadable 4xx (a proxy refusing, not a failure to retry)',
    () =>
      new EC2ServiceException({
        name: 'Unknown',
        $fault: 'client',
        message: 'Unknown',
        $metadata: { httpStatusCode: 403 },
      }),
  ],
  ['a SyntaxError of our own code (no HTTP status)', () => new SyntaxError('Unexpected end of JSON input')],
  ['a SyntaxError of a 200 answer', () => sdkError(new SyntaxError('bad'), { $metadata: { httpStatusCode: 200 } })],
  ['an error of ours, even with a network code', () => sdkError(new InvalidInputError('x', 'bad'), { code: 'EPIPE' })],
  ['an unknown error code', () => sdkError(new Error('no such file'), { code: 'ENOENT' })],
  ['a thrown string', () => 'ECONNRESET'],
  ['another value wrapped by the SDK', () => new Error('AWS SDK error wrapper for undefined')],
];

describe('isTransientNetworkFailure', () => {
  it.each(TRANSIENT)('holds for %s', (_shape, make) => {
    // Act
    const transient = isTransientNetworkFailure(make());

    // Assess
    expect(transient).toBe(true);
  });

  it.each(NOT_TRANSIENT)('does not hold for %s', (_shape, make) => {
    // Act
    const transient = isTransientNetworkFailure(make());

    // Assess
    expect(transient).toBe(false);
  });
});

describe('toTransientNetworkError', () => {
  it('keeps the original as cause and its name, message, code and status in the message', () => {
    // Prepare
    const original = sdkError(new SyntaxError('not valid JSON'), { $metadata: { httpStatusCode: 503 } });
    const reset = sdkError(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });

    // Act
    const renamed = toTransientNetworkError(original);
    const renamedReset = toTransientNetworkError(reset);

    // Assess
    expect(renamed).toBeInstanceOf(TransientNetworkError);
    expect(renamed.name).toBe(TRANSIENT_NETWORK_ERROR);
    expect(renamed.retryable).toBe(true);
    expect(renamed.cause).toBe(original);
    expect(renamed.message).toBe('SyntaxError: not valid JSON (HTTP 503)');
    expect(renamedReset.message).toBe('TimeoutError: socket hang up (code ECONNRESET)');
  });
});

describe('the step middleware chain', () => {
  const invoke = async (error: unknown): Promise<Error | undefined> =>
    stepHandler(async () => {
      throw error;
    })({}, localLambdaContext('test', 10)).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );

  it('names a reset TransientNetworkError, the name the ASL retries, bounded like every error', async () => {
    // Prepare
    const reset = sdkError(new Error(`socket hang up ${'x'.repeat(5_000)}`), {
      name: 'TimeoutError',
      code: 'ECONNRESET',
    });

    // Act
    const failure = await invoke(reset);

    // Assess
    expect(failure).toBeInstanceOf(TransientNetworkError);
    expect(failure?.name).toBe(TRANSIENT_NETWORK_ERROR);
    expect(failure?.cause).toBe(reset);
    expect(failure?.message.startsWith('TimeoutError: socket hang up xxx')).toBe(true);
    expect(failure?.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
  });

  it('never renames a permanent service error', async () => {
    // Prepare
    const permanent = STORAGE_GATEWAY_ERRORS.InvalidGatewayRequestException?.();

    // Act
    const failure = await invoke(permanent);

    // Assess
    expect(failure).toBe(permanent);
    expect(failure?.name).toBe('InvalidGatewayRequestException');
  });
});
