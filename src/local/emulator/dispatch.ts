import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpAnswer } from '../http/answering-server.ts';
import { AWS_RPC_METHOD, AWS_RPC_PATH, type Route } from '../http/router.ts';
import { AwsError } from './errors.ts';
import type { FaultInjector } from './faults.ts';
import type { Handler, OperationContext, ServiceErrors, ServiceProtocol } from './service.ts';

/** One request the emulator answered, for tests and the benchmark. */
export interface EmulatorCall {
  /** e.g. `ListGateways` or `DescribeSnapshots`; when it is unknown, the target the client named. */
  operation: string;
  params: Readonly<Record<string, unknown>>;
  status: number;
  /** Error name answered, if any. */
  error: string | undefined;
  /** Clock time the request arrived. */
  time: number;
}

export interface DispatchDeps {
  readonly context: OperationContext;
  readonly faults: FaultInjector;
}

/** What serving one request gives: the answer and its record. */
export interface Served {
  response: HttpAnswer;
  call: EmulatorCall;
}

/** One route of the emulator's table: an operation of a service, the protocol it speaks and its handler. */
export interface EmulatorRoute extends Route<ServiceErrors> {
  readonly operation: string;
  /** Serves a request of this route; every failure is answered, nothing is thrown. */
  serve(body: string, deps: DispatchDeps): Promise<Served>;
}

/** The route of `operation` of the service `protocol` speaks, served by `handler`. */
export function routeOf<P extends Readonly<Record<string, unknown>>, R>(
  protocol: ServiceProtocol<P, R>,
  operation: string,
  handler: Handler<P, R>,
): EmulatorRoute {
  return {
    method: AWS_RPC_METHOD,
    path: AWS_RPC_PATH,
    target: protocol.targetOf(operation),
    protocol,
    operation,
    serve: (body, deps) => dispatch(protocol, operation, handler, body, deps),
  };
}

/**
 * Answers, with `error` in the shape of the service `protocol` speaks, a request no route serves: an
 * unknown operation, or a body too large to read.
 * @param target what the request named, recorded as its operation
 */
export function answerRefusal(
  protocol: ServiceErrors,
  error: AwsError,
  target: string,
  { context }: DispatchDeps,
): Served {
  const time = context.now();
  const response = protocol.encodeError(error, randomUUID());
  return { response, call: { operation: target, params: {}, status: response.status, error: error.name, time } };
}

// Parse, apply faults, run the operation, encode. Every failure, including a bug in an operation,
// becomes an AWS error response.
async function dispatch<P extends Readonly<Record<string, unknown>>, R>(
  protocol: ServiceProtocol<P, R>,
  operation: string,
  handler: Handler<P, R>,
  body: string,
  deps: DispatchDeps,
): Promise<Served> {
  const requestId = randomUUID();
  const time = deps.context.now();
  let params: Readonly<Record<string, unknown>> = {};
  try {
    const parsed = protocol.parse(body);
    params = parsed;
    const fault = deps.faults.decide(operation, protocol.callTarget(parsed));
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.throttled) throw protocol.throttled();
    if (fault.error && !fault.error.afterEffect) throw protocol.injected(fault.error.name);
    const result = handler(parsed, deps.context);
    if (fault.error) throw protocol.injected(fault.error.name);
    const response = protocol.encode(operation, result, requestId);
    return { response, call: { operation, params, status: response.status, error: undefined, time } };
  } catch (error) {
    const answer = error instanceof AwsError ? error : protocol.internal(`The emulator failed: ${String(error)}`);
    const response = protocol.encodeError(answer, requestId);
    return { response, call: { operation, params, status: response.status, error: answer.name, time } };
  }
}
