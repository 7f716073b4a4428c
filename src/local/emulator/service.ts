import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from './errors.ts';
import type { CallTarget } from './faults.ts';
import type { FleetState } from './state.ts';

/** What every operation may use: the fleet, the clock and the emulator settings. */
export interface OperationContext {
  readonly state: FleetState;
  readonly now: () => number;
  readonly snapshotCompletionMs: number;
  /** The most snapshots one DescribeSnapshots page holds, whatever MaxResults asks for. */
  readonly describeSnapshotsPageLimit: number;
}

/** One operation: validates its parameters, acts on the state, returns what the protocol encodes. */
export type Handler<P, R> = (params: P, context: OperationContext) => R;

/** The request as it came off the socket. */
export interface RawRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface EncodedResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** One AWS service as the emulator speaks it: its wire protocol and its dispatch table. */
export interface Service<P extends Readonly<Record<string, unknown>>, R> {
  /** @throws {AwsError} when the request cannot be read */
  decode(request: RawRequest): { operation: string; params: P };
  readonly operations: ReadonlyMap<string, Handler<P, R>>;
  /** The gateway and volume fault rules filter this call on. */
  target(params: P): CallTarget;
  encode(operation: string, result: R, requestId: string): EncodedResponse;
  encodeError(error: AwsError, requestId: string): EncodedResponse;
  unknownOperation(operation: string): AwsError;
  throttled(): AwsError;
  /** The service's internal error, for a request the emulator itself failed to serve. */
  internal(message: string): AwsError;
  /** An injected fault; `name` defaults to the service's internal error. */
  injected(name: string | undefined): AwsError;
}
