import { SgwSnapshotError } from '../../errors.ts';

/** The `__type`s the local Step Functions endpoint answers with, as the real service names them. */
export const SfnErrorType = {
  ExecutionAlreadyExists: 'ExecutionAlreadyExists',
  ExecutionDoesNotExist: 'ExecutionDoesNotExist',
  ExecutionNotRedrivable: 'ExecutionNotRedrivable',
  StateMachineDoesNotExist: 'StateMachineDoesNotExist',
  InvalidArn: 'InvalidArn',
  InvalidName: 'InvalidName',
  InvalidExecutionInput: 'InvalidExecutionInput',
  InvalidToken: 'InvalidToken',
  ValidationException: 'ValidationException',
  SerializationException: 'SerializationException',
  UnknownOperationException: 'UnknownOperationException',
  RequestEntityTooLargeException: 'RequestEntityTooLargeException',
} as const;
export type SfnErrorType = (typeof SfnErrorType)[keyof typeof SfnErrorType];

// AWS lists RequestEntityTooLargeException with HTTP 413 among the errors common to its APIs
// (e.g. https://docs.aws.amazon.com/imagebuilder/latest/APIReference/CommonErrors.html);
// every other client error is a 400.
const STATUS: Partial<Record<SfnErrorType, number>> = { RequestEntityTooLargeException: 413 };
const DEFAULT_STATUS = 400;

/** A client error of the Step Functions API; `name` is the `__type` the endpoint answers with. */
export class SfnApiError extends SgwSnapshotError {
  override readonly name: SfnErrorType;
  /** HTTP status of the response. */
  readonly status: number;

  constructor(name: SfnErrorType, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = name;
    this.status = STATUS[name] ?? DEFAULT_STATUS;
  }
}
