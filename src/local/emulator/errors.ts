import { SgwSnapshotError } from '../../errors.ts';

/** A helper of the emulator was given a volume or gateway ARN the fleet does not have. */
export const UNKNOWN_RESOURCE = 'UnknownResource';
/** `setFaults` or the `faults` option broke `FaultRuleSchema`. */
export const INVALID_FAULT_RULES = 'InvalidFaultRules';

const DEFAULT_ERROR_STATUS = 400;
// The statuses AWS answers these errors with; every other error name is a 400.
const ERROR_STATUS: Readonly<Record<string, number>> = {
  InternalServerError: 500,
  ServiceUnavailableError: 503,
  InternalError: 500,
  Unavailable: 503,
  RequestLimitExceeded: 503,
  RequestEntityTooLargeException: 413,
  // Restore (issue 14): KMS's internal error.
  KMSInternalException: 500,
};

/** An error the emulator answers on the wire, named as AWS names it. */
export class AwsError extends SgwSnapshotError {
  override readonly name: string;
  /** HTTP status of the response. */
  readonly status: number;
  /** Storage Gateway's `error.errorCode`, e.g. `VolumeNotFound`. */
  readonly errorCode: string | undefined;

  constructor(name: string, message: string, errorCode?: string) {
    super(message);
    this.name = name;
    this.status = ERROR_STATUS[name] ?? DEFAULT_ERROR_STATUS;
    this.errorCode = errorCode;
  }
}

/**
 * A request body over `maxBytes`. AWS lists `RequestEntityTooLargeException`, HTTP 413, among the errors
 * common to its APIs (e.g. https://docs.aws.amazon.com/imagebuilder/latest/APIReference/CommonErrors.html).
 */
export function requestEntityTooLarge(maxBytes: number): AwsError {
  return new AwsError('RequestEntityTooLargeException', `Request body must be at most ${maxBytes} bytes`);
}

/** A test or the CLI used an emulator helper with an ARN the fleet does not have. */
export class UnknownResourceError extends SgwSnapshotError {
  override readonly name = UNKNOWN_RESOURCE;
}

/** Fault rules that do not match `FaultRuleSchema`. */
export class InvalidFaultRulesError extends SgwSnapshotError {
  override readonly name = INVALID_FAULT_RULES;
}
