import {
  AwsUnreachableError,
  ExecutionNameTakenError,
  ExecutionNotFoundError,
  ExecutionNotRedrivableError,
  PermissionDeniedError,
  StateMachineNotFoundError,
  type StepFunctionsCallError,
  StepFunctionsRejectedError,
  UsageError,
} from '../errors.ts';

// Error names of a refused identity or a refused permission, across AWS services and the SDK.
const PERMISSION_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'NotAuthorized']);
const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'CredentialsProviderError',
  'TokenProviderError',
  // S3's names for the same refusals.
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);
// The service's refusals the CLI names, each with the error it answers with.
const REFUSALS = new Map<string, StepFunctionsCallErrorClass>([
  ['ExecutionAlreadyExists', ExecutionNameTakenError],
  ['ExecutionDoesNotExist', ExecutionNotFoundError],
  ['ExecutionNotRedrivable', ExecutionNotRedrivableError],
  ['StateMachineDoesNotExist', StateMachineNotFoundError],
]);
const INVALID_REQUEST = new Set([
  'InvalidArn',
  'InvalidName',
  'InvalidExecutionInput',
  'InvalidToken',
  'ValidationException',
]);

type StepFunctionsCallErrorClass = new (
  call: string,
  message: string,
  options?: ErrorOptions,
) => StepFunctionsCallError;

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The service a call went to, as the messages name it. */
export interface CallTarget {
  /** `Step Functions`, `S3` */
  service: string;
  /** The endpoint, or a description of where the SDK sent the call. */
  endpoint: string;
  /** The IAM action the call needs, e.g. `s3:GetObject`. */
  permission: string;
}

/**
 * Gives an SDK error of a Step Functions `call` the name and exit code the CLI answers with; the message always
 * says which call failed and, for a refusal, which permission it needs.
 */
export function classifySfnError(
  call: string,
  error: unknown,
  endpoint: string,
): StepFunctionsCallError | UsageError | unknown {
  return classifyAwsError(call, error, { service: 'Step Functions', endpoint, permission: `states:${call}` });
}

/** {@link classifySfnError} for a call to any service. */
export function classifyAwsError(
  call: string,
  error: unknown,
  { service, endpoint, permission }: CallTarget,
): StepFunctionsCallError | UsageError | unknown {
  if (!error || typeof error !== 'object') return error;
  const { name = '', message = '', code, $metadata } = error as SdkError;
  const options = { cause: error };
  if (PERMISSION_ERRORS.has(name)) {
    return new PermissionDeniedError(
      call,
      `${call} was refused: the caller lacks the permission ${permission} (${name}: ${message})`,
      options,
      permission,
    );
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return new AwsUnreachableError(
      call,
      `${call} was refused: the AWS credentials were not accepted (${name}: ${message}); ${permission} is needed once they are`,
      options,
      permission,
    );
  }
  // The SDK refuses to send a call with no Region before any endpoint is asked: nothing was unreachable.
  if (name === 'Error' && /Region is missing/.test(message)) {
    return new AwsUnreachableError(
      call,
      `${call} was not sent: no AWS Region is configured (set AWS_REGION, or a region in the AWS profile; an endpoint on this machine needs none)`,
      options,
      permission,
    );
  }
  const networkCode = code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (
    (networkCode !== undefined && NETWORK_CODES.has(networkCode)) ||
    NETWORK_NAMES.has(name) ||
    ($metadata?.httpStatusCode === undefined && name === 'Error')
  ) {
    return new AwsUnreachableError(
      call,
      `${call}: could not reach ${service} at ${endpoint} (${networkCode ?? name}: ${message})`,
      options,
      permission,
    );
  }
  const Refusal = REFUSALS.get(name);
  if (Refusal) return new Refusal(call, message, options);
  if (INVALID_REQUEST.has(name)) return new UsageError(`${call}: ${name}: ${message}`, options);
  if ($metadata?.httpStatusCode !== undefined)
    return new StepFunctionsRejectedError(call, `${call} failed: ${name}: ${message}`, options);
  return error;
}
