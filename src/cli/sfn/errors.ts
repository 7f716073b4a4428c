import { SgwSnapshotError } from '../../errors.ts';
import { ExitCode } from '../exit-codes.ts';

/** A Step Functions call that did not give the command what it needed; `exitCode` is what `sgw-snap` exits with. */
export abstract class StepFunctionsCallError extends SgwSnapshotError {
  abstract readonly exitCode: ExitCode;
  /** The API call, e.g. `StartExecution`. */
  readonly call: string;

  constructor(call: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.call = call;
  }
}

/** AWS could not be reached, the credentials were refused, or the caller lacks `permission`. */
export class AwsUnreachableError extends StepFunctionsCallError {
  override readonly name = 'AwsUnreachable';
  override readonly exitCode = ExitCode.Unreachable;
  /** The IAM action the call needs, e.g. `states:StartExecution`. */
  readonly permission: string;

  constructor(call: string, message: string, options?: ErrorOptions) {
    super(call, message, options);
    this.permission = `states:${call}`;
  }
}

/**
 * The caller lacks `permission`: unlike the rest of `AwsUnreachable` (whose name it keeps), a refusal
 * that may concern one call only, so a caller may do without what that call would have given.
 */
export class PermissionDeniedError extends AwsUnreachableError {}

/** No state machine has the name asked for. */
export class StateMachineNotFoundError extends StepFunctionsCallError {
  override readonly name = 'StateMachineNotFound';
  override readonly exitCode = ExitCode.Usage;
}

/** No execution has the ARN or name asked for. */
export class ExecutionNotFoundError extends StepFunctionsCallError {
  override readonly name = 'ExecutionNotFound';
  override readonly exitCode = ExitCode.Usage;
}

/** `StartExecution` refused the name: an execution of that name exists (closed, or with another input). */
export class ExecutionNameTakenError extends StepFunctionsCallError {
  override readonly name = 'ExecutionNameTaken';
  override readonly exitCode = ExitCode.Usage;
}

/** Any other refusal of the service: a bad ARN, a bad name, a throttled call. */
export class StepFunctionsRejectedError extends StepFunctionsCallError {
  override readonly name = 'StepFunctionsRejected';
  override readonly exitCode = ExitCode.Failed;
}
