/**
 * Error names are a contract with the state machine: `Retry` and `Catch` blocks in
 * `statemachines/*.asl.json` match them by `name`, and tests import the same constants.
 */

/** Storage Gateway errors that a later attempt can cure; the state machine retries them. */
export const TRANSIENT_AWS_ERRORS = [
  'InternalServerError',
  'ServiceUnavailableError',
  'ThrottlingException',
  // EC2's names for the same conditions (DescribeSnapshots, CreateTags).
  'RequestLimitExceeded',
  'InternalError',
] as const;

/** Errors of the Lambda service itself that Step Functions recommends retrying. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** The error an execution fails with when its input is rejected. */
export const INVALID_INPUT = 'InvalidInput';
/** The error an execution fails with when at least one volume could not be snapshotted. */
export const SNAPSHOTS_FAILED = 'SnapshotsFailed';
/** Discovery found more gateways than one execution can report on. */
export const TOO_MANY_GATEWAYS = 'TooManyGateways';
/** A recovery point whose `VolumeRecoveryPointTime` cannot be read as a time. */
export const INVALID_RECOVERY_POINT_TIME = 'InvalidRecoveryPointTime';

/** Base class of every error this project raises on purpose; `name` is what the ASL matches. */
export abstract class SgwSnapshotError extends Error {
  abstract override readonly name: string;
}

/** The execution input broke the contract; the message names the field. */
export class InvalidInputError extends SgwSnapshotError {
  override readonly name = INVALID_INPUT;
  /** Dotted path of the first offending field, e.g. `policy.minAgeMinutes`. */
  readonly field: string;

  /** @param message names the field(s) and what is wrong with each */
  constructor(field: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.field = field;
  }
}

/** More gateways than one execution handles were found; raised before any snapshot is made. */
export class TooManyGatewaysError extends SgwSnapshotError {
  override readonly name = TOO_MANY_GATEWAYS;
}
