import { SgwSnapshotError } from '../../errors.ts';

/** The `__type`s the local Step Functions endpoint answers with, as the real service names them. */
export const SfnErrorType = {
  ExecutionAlreadyExists: 'ExecutionAlreadyExists',
  ExecutionDoesNotExist: 'ExecutionDoesNotExist',
  StateMachineDoesNotExist: 'StateMachineDoesNotExist',
  InvalidArn: 'InvalidArn',
  InvalidName: 'InvalidName',
  InvalidExecutionInput: 'InvalidExecutionInput',
  InvalidToken: 'InvalidToken',
  ValidationException: 'ValidationException',
  SerializationException: 'SerializationException',
  UnknownOperationException: 'UnknownOperationException',
} as const;
export type SfnErrorType = (typeof SfnErrorType)[keyof typeof SfnErrorType];

/** A client error of the Step Functions API; `name` is the `__type` the endpoint answers with (HTTP 400). */
export class SfnApiError extends SgwSnapshotError {
  override readonly name: SfnErrorType;

  constructor(name: SfnErrorType, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = name;
  }
}
