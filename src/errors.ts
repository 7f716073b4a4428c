/**
 * Every error this project raises on purpose, under one base class. Error names are a contract with
 * the state machine: `Retry` and `Catch` blocks in `statemachines/*.asl.json` match them by `name`, and
 * tests import the same constants. Code tells errors apart with `instanceof`; only errors from AWS are
 * told apart by their names, in `src/cli/classify-error.ts`.
 */

/** What `sgw-snap` exits with; runbooks branch on these. */
export const ExitCode = {
  /** The execution succeeded (or the command did its job). */
  Succeeded: 0,
  /** The execution failed, timed out or was aborted; the report is still printed. */
  Failed: 1,
  /** A bad flag, an unreadable file, malformed JSON. */
  Usage: 2,
  /** AWS could not be reached, or a permission is missing. */
  Unreachable: 3,
  /** Ctrl-C stopped `start --wait` following the execution; the execution goes on (128 + SIGINT, as shells do). */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Storage Gateway errors that a later attempt can cure; the state machine retries them. */
export const TRANSIENT_AWS_ERRORS = [
  'InternalServerError',
  'ServiceUnavailableError',
  'ThrottlingException',
  // EC2's names for the same conditions (DescribeSnapshots, CreateTags); S3 says InternalError too.
  'RequestLimitExceeded',
  'InternalError',
  // S3's (the evidence objects): https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
  'SlowDown',
  'ServiceUnavailable',
  // TRANSIENT_NETWORK_ERROR: a call that got no readable answer (reset, refused, timed out, an HTML 5xx page).
  'TransientNetworkError',
] as const;

/**
 * Errors of the Lambda service itself that Step Functions recommends retrying ("Handle transient Lambda service
 * exceptions", https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html), and the
 * throttling of an invocation.
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/**
 * An AWS call that got no answer the SDK could read: a connection reset or refused, a timeout, a 5xx page that is
 * not the service's JSON or XML. The Lambda middleware `transientNetworkErrors` gives every such error this one
 * name, which the ASL's transient retrier matches.
 */
export const TRANSIENT_NETWORK_ERROR = 'TransientNetworkError';
/** The error an execution fails with when its input is rejected. */
export const INVALID_INPUT = 'InvalidInput';
/** The error an execution fails with when at least one volume could not be snapshotted. */
export const SNAPSHOTS_FAILED = 'SnapshotsFailed';
/** Discovery found more gateways than one execution can report on. */
export const TOO_MANY_GATEWAYS = 'TooManyGateways';
/** A recovery point whose `VolumeRecoveryPointTime` cannot be read as a time. */
export const INVALID_RECOVERY_POINT_TIME = 'InvalidRecoveryPointTime';
/** A volume `volumeArns` names whose gateway lists no recovery point of it: that volume's failure. */
export const NO_RECOVERY_POINT = 'NoRecoveryPoint';
/** A snapshot EC2 reported in `error`: it is no recovery point, so it counts as failed. */
export const SNAPSHOT_ERROR = 'SnapshotError';
/** A snapshot still `pending` when the wait for completion timed out. */
export const SNAPSHOT_NOT_COMPLETED = 'SnapshotNotCompleted';
/** The error `loadFleet` and `parseFleet` throw; the message names the file or field. */
export const INVALID_FLEET = 'InvalidFleet';
/** A gateway whose child execution ended without writing its evidence (it failed, timed out or was aborted). */
export const GATEWAY_NOT_REPORTED = 'GatewayNotReported';
/** A function that writes evidence was deployed without `EVIDENCE_BUCKET`. */
export const EVIDENCE_BUCKET_UNSET = 'EvidenceBucketUnset';
/** An evidence object that is not what this tool writes there. */
export const INVALID_EVIDENCE = 'InvalidEvidence';

/**
 * Base class of every error this project raises on purpose; `name` is what the ASL matches, and the
 * flags say how the CLI and the state machine treat the error.
 */
export abstract class SgwSnapshotError extends Error {
  abstract override readonly name: string;
  /** What `sgw-snap` exits with when this error ends a command. @default ExitCode.Failed */
  readonly exitCode: ExitCode = ExitCode.Failed;
  /**
   * Whether the same call may succeed if made again. The state machine retries only AWS's transient
   * errors (`TRANSIENT_AWS_ERRORS`, `LAMBDA_SERVICE_ERRORS`); of ours, only `TransientNetworkError` is among them.
   * @default false
   */
  readonly retryable: boolean = false;
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

/** A function that writes evidence has no bucket to write it to. */
export class EvidenceBucketUnsetError extends SgwSnapshotError {
  override readonly name = EVIDENCE_BUCKET_UNSET;
}

/** An evidence object (or an address of one) that is not what this tool writes. */
export class InvalidEvidenceError extends SgwSnapshotError {
  override readonly name = INVALID_EVIDENCE;
}

/** A fleet file or value that does not match `FleetSchema`. */
export class InvalidFleetError extends SgwSnapshotError {
  override readonly name = INVALID_FLEET;
  override readonly exitCode = ExitCode.Usage;
}

/**
 * An AWS call that got no readable answer ({@link TRANSIENT_NETWORK_ERROR}); `cause` is the SDK's error, and the
 * message carries its name, code and HTTP status.
 */
export class TransientNetworkError extends SgwSnapshotError {
  override readonly name = TRANSIENT_NETWORK_ERROR;
  override readonly retryable = true;
}

/** The command line itself is wrong: exit code 2, and the message says what to fix. */
export class UsageError extends SgwSnapshotError {
  override readonly name = 'UsageError';
  override readonly exitCode = ExitCode.Usage;
}

/** A Step Functions call that did not give the command what it needed. */
export abstract class StepFunctionsCallError extends SgwSnapshotError {
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

  constructor(call: string, message: string, options?: ErrorOptions, permission = `states:${call}`) {
    super(call, message, options);
    this.permission = permission;
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

/** `RedriveExecution` refused: the execution is running or succeeded, or was started over 14 days ago. */
export class ExecutionNotRedrivableError extends StepFunctionsCallError {
  override readonly name = 'ExecutionNotRedrivable';
  override readonly exitCode = ExitCode.Usage;
}

/** Any other refusal of the service: a bad ARN, a bad name, a throttled call. */
export class StepFunctionsRejectedError extends StepFunctionsCallError {
  override readonly name = 'StepFunctionsRejected';
}

// Monitoring (issue 16).
/** A function that measures the RPO was deployed with an RPO target that is not a positive number of hours. */
export const INVALID_MONITORING_CONFIG = 'InvalidMonitoringConfig';

/** The monitoring configuration of a function (its environment) cannot be read; the message names the variable. */
export class InvalidMonitoringConfigError extends SgwSnapshotError {
  override readonly name = INVALID_MONITORING_CONFIG;
}

// --- Restore (issue 14): the errors of the restore workflow, matched by `statemachines/restore.asl.json`. ---

/** The restore workflow failed: at least one volume was not restored (or not cleaned up), or the preflight found problems. */
export const RESTORE_FAILED = 'RestoreFailed';
/** A batch of a restore whose child execution left no account of its volumes (it failed, timed out, was aborted). */
export const RESTORE_BATCH_FAILED = 'RestoreBatchFailed';
/** A restored volume the service reports as unusable (`IRRECOVERABLE`, EBS `error`): that volume's failure. */
export const RESTORED_VOLUME_UNUSABLE = 'RestoredVolumeUnusable';
/** A restored volume still not usable when the wait timed out: that volume's failure. */
export const RESTORE_TIMED_OUT = 'RestoreTimedOut';
/** A restored volume that is usable but not what was asked for (size, source snapshot): that volume's failure. */
export const RESTORE_NOT_VERIFIED = 'RestoreNotVerified';
/** A delete refused by our own check: the volume does not carry the tags of this restore test. */
export const NOT_OURS_TO_DELETE = 'NotOursToDelete';

/** A restored volume the service reports as unusable. */
export class RestoredVolumeUnusableError extends SgwSnapshotError {
  override readonly name = RESTORED_VOLUME_UNUSABLE;
}

/** A restored volume that did not become usable in time. */
export class RestoreTimedOutError extends SgwSnapshotError {
  override readonly name = RESTORE_TIMED_OUT;
}

/** A restored volume that does not match its source (size, snapshot). */
export class RestoreNotVerifiedError extends SgwSnapshotError {
  override readonly name = RESTORE_NOT_VERIFIED;
}

/** The cleanup of a restore test refused to delete a volume without the test's tags. */
export class NotOursToDeleteError extends SgwSnapshotError {
  override readonly name = NOT_OURS_TO_DELETE;
}

// --- Copies (issue 13): the failures of one volume's copy to one destination, in the report. ---

/** A copy EC2 reported in `error` (a KMS key the destination may not use ends a copy so): that destination's failure. */
export const COPY_ERROR = 'CopyError';
/** A copy not completed when the copies' time-out passed, or whose source never became usable in time. */
export const COPY_NOT_COMPLETED = 'CopyNotCompleted';
/** The source snapshot of a copy ended in `error`: there is nothing to copy. */
export const COPY_SOURCE_FAILED = 'CopySourceFailed';
/** The copies of a destination stopped for good (its round kept failing): every copy not completed there failed. */
export const COPY_DESTINATION_FAILED = 'CopyDestinationStopped';
/** The execution reached its report without the copies' books: the planning never ran or wrote none. */
export const COPIES_NOT_PLANNED = 'CopiesNotPlanned';
/** The execution reached its report without running the copy loops. */
export const COPIES_NOT_RUN = 'CopiesNotRun';
/**
 * An earlier attempt may have made a copy EC2 does not show yet: the copy waits for the next round instead of being
 * made a second time. It never leaves a round.
 */
export const COPY_NOT_VISIBLE_YET = 'CopyNotVisibleYet';

/** See {@link COPY_NOT_VISIBLE_YET}. */
export class CopyNotVisibleYetError extends SgwSnapshotError {
  override readonly name = COPY_NOT_VISIBLE_YET;
}
