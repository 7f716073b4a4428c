import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { SgwSnapshotError, TransientNetworkError } from '../errors.ts';

/**
 * Node's codes for a connection that failed or went away: the call may or may not have reached AWS, and a later
 * attempt can get through.
 */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

// The names the SDK gives an error answer it could not read as the service's own.
const UNNAMED_SERVICE_ERRORS: ReadonlySet<string> = new Set(['Unknown', 'UnknownError', 'Error']);
const FIRST_SERVER_ERROR_STATUS = 500;
// The SDK's retry middleware wraps a thrown value that is not an Error of its own realm (a Node error under a VM
// context, as jest's) into a plain Error whose message is this prefix and `String(value)`: name and code are lost.
const SDK_WRAPPER_PREFIX = 'AWS SDK error wrapper for ';
const TIMEOUT_ERROR = 'TimeoutError';

/** The parts of an SDK error the classification reads. */
interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * Whether `error` is a call that got no answer the SDK could read, whatever the SDK named it:
 * - `TimeoutError`: the SDK's name for a request or socket timeout and for a reset (`ECONNRESET`, "socket hang up");
 * - a plain error with a network code such as `ECONNREFUSED` ({@link TRANSIENT_NETWORK_CODES});
 * - a 5xx answer whose body is not the service's JSON or XML: the SDK throws the parser's `SyntaxError` (JSON
 *   services) or an error without a service error name, `Unknown` (XML services);
 * - any of these wrapped by the SDK as `AWS SDK error wrapper for TimeoutError: …` (an error of another realm).
 * Our own errors and every error the service named are not: those keep their name, and the ASL decides.
 */
export function isTransientNetworkFailure(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: a Node error may come from another realm.
  if (typeof error !== 'object' || error === null || error instanceof SgwSnapshotError) return false;
  const { name, message, code, $metadata } = error as SdkErrorShape;
  if (name === TIMEOUT_ERROR) return true;
  if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return true;
  if (typeof message === 'string' && message.startsWith(SDK_WRAPPER_PREFIX)) {
    return wrapsNetworkFailure(message.slice(SDK_WRAPPER_PREFIX.length));
  }
  const status = $metadata?.httpStatusCode;
  if (typeof status !== 'number' || status < FIRST_SERVER_ERROR_STATUS) return false;
  return name === 'SyntaxError' || (typeof name === 'string' && UNNAMED_SERVICE_ERRORS.has(name));
}

/** Whether `String(error)` of a wrapped error, `<name>: <message>`, names a timeout or a network code. */
function wrapsNetworkFailure(described: string): boolean {
  return described.startsWith(`${TIMEOUT_ERROR}:`) || [...TRANSIENT_NETWORK_CODES].some((c) => described.includes(c));
}

/** The error a transient network failure becomes: one name, the original as `cause`, its details in the message. */
export function toTransientNetworkError(error: Error): TransientNetworkError {
  const { code, $metadata } = error as SdkErrorShape;
  const details = [
    typeof code === 'string' ? `code ${code}` : undefined,
    typeof $metadata?.httpStatusCode === 'number' ? `HTTP ${$metadata.httpStatusCode}` : undefined,
  ].filter((d) => d !== undefined);
  const suffix = details.length ? ` (${details.join(', ')})` : '';
  return new TransientNetworkError(`${error.name}: ${error.message}${suffix}`, { cause: error });
}

/**
 * Gives every transient network failure of a step ({@link isTransientNetworkFailure}) the one name
 * `TransientNetworkError`, which the transient retrier of every Task that calls AWS matches: the SDK makes one
 * attempt, and its names for these failures (`TimeoutError`, `Error`, `SyntaxError`, `Unknown`) say nothing
 * the ASL could match safely. Any other error passes unchanged.
 */
export function transientNetworkErrors(): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    onError: (request) => {
      if (request.error && isTransientNetworkFailure(request.error)) {
        request.error = toTransientNetworkError(request.error);
      }
    },
  };
}
