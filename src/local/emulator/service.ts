import type { HttpAnswer } from '../http/answering-server.ts';
import type { RoutedProtocol } from '../http/router.ts';
import type { Caller } from './caller.ts';
import type { AwsError } from './errors.ts';
import type { CallTarget } from './faults.ts';
import type { RestoreTimings } from './restore-state.ts';
import type { FleetState } from './state.ts';

/** What every operation may use: the fleet, the clock and the emulator settings. */
export interface OperationContext {
  readonly state: FleetState;
  readonly now: () => number;
  readonly snapshotCompletionMs: number;
  /** The most snapshots one DescribeSnapshots page holds, whatever MaxResults asks for. */
  readonly describeSnapshotsPageLimit: number;
  /** How long a snapshot made by this call stays out of EC2's sight (the fault rules' `visibilityLagMs`). */
  readonly snapshotVisibilityLagMs: number;
  /** Restore (issue 14): how long restored volumes take to become usable. */
  readonly restoreTimings: RestoreTimings;
  // Copies (issue 13)
  /** Who sent the request: the account of its access key and the Region of its signature (`callerOf`). */
  readonly caller: Caller;
  /** How long a snapshot copy stays `pending`. */
  readonly copyCompletionMs: number;
}

/** One operation: validates its parameters, acts on the state, returns what the protocol encodes. */
export type Handler<P, R> = (params: P, context: OperationContext) => R;

/**
 * One AWS service as the emulator speaks it: its wire protocol (how a request names its operation and
 * carries its parameters, how answers and errors are written) and its service-wide errors.
 */
export interface ServiceProtocol<P extends Readonly<Record<string, unknown>>, R> extends RoutedProtocol {
  /** The largest request body the service takes; a larger one is answered `tooLarge()` unread. */
  readonly maxBodyBytes: number;
  /** The target a request of `operation` carries, e.g. `StorageGateway_20130630.ListGateways`. */
  targetOf(operation: string): string;
  /** @throws {AwsError} when the body cannot be read */
  parse(body: string): P;
  /** The gateway and volume fault rules filter this call on. */
  callTarget(params: P): CallTarget;
  encode(operation: string, result: R, requestId: string): HttpAnswer;
  encodeError(error: AwsError, requestId: string): HttpAnswer;
  /** @param target what the request named: the whole `X-Amz-Target` or `Action` value */
  unknownOperation(target: string): AwsError;
  throttled(): AwsError;
  tooLarge(): AwsError;
  /** The service's internal error, for a request the emulator itself failed to serve. */
  internal(message: string): AwsError;
  /** An injected fault; `name` defaults to the service's internal error. */
  injected(name: string | undefined): AwsError;
}

/** The part of a service protocol that does not depend on its parameter and result types. */
export type ServiceErrors = Pick<
  ServiceProtocol<never, never>,
  'targetIn' | 'maxBodyBytes' | 'encodeError' | 'unknownOperation' | 'tooLarge' | 'internal'
>;
