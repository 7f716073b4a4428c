import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpAnswer } from '../http/answering-server.ts';
import { AWS_RPC_METHOD, AWS_RPC_PATH, type Route } from '../http/router.ts';
import { AwsError } from './errors.ts';
import type { FaultInjector, InjectedFailure } from './faults.ts';
import type { Handler, OperationContext, ServiceErrors, ServiceProtocol } from './service.ts';

/** What `EmulatorCall.error` says of a call failed without a service error: no answer, or a load balancer's page. */
export const NETWORK_FAULT = {
  /** The connection was destroyed: `status` 0. */
  reset: 'ConnectionReset',
  /** No answer was ever written: `status` 0. */
  hang: 'RequestHung',
  /** A 5xx with an HTML body. */
  html: 'HtmlErrorPage',
} as const;

/** One request the emulator answered, for tests and the benchmark. */
export interface EmulatorCall {
  /** e.g. `ListGateways` or `DescribeSnapshots`; when it is unknown, the target the client named. */
  operation: string;
  params: Readonly<Record<string, unknown>>;
  /** HTTP status; 0 when no answer was written (a reset or a hung request). */
  status: number;
  /** Error name answered, if any, or a {@link NETWORK_FAULT} name. */
  error: string | undefined;
  /** Clock time the request arrived. */
  time: number;
}

export interface DispatchDeps {
  readonly context: OperationContext;
  readonly faults: FaultInjector;
}

/** A request the server does not answer: it destroys the connection, or never writes anything. */
export interface NoAnswer {
  drop: 'reset' | 'hang';
}

/** What serving one request gives: the answer (or none) and its record. */
export interface Served {
  response: HttpAnswer | NoAnswer;
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
): Served & { response: HttpAnswer } {
  const time = context.now();
  const response = protocol.encodeError(error, randomUUID());
  return { response, call: { operation: target, params: {}, status: response.status, error: error.name, time } };
}

// Parse, apply faults, run the operation, encode. Every failure, including a bug in an operation,
// becomes an AWS error response, unless a fault rule asks for a network fault instead.
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
    const failed = (failure: InjectedFailure): Served =>
      failure.kind === 'error' ? fail(protocol.injected(failure.name)) : networkFault(failure, operation, params, time);
    if (fault.error && !fault.error.afterEffect) return failed(fault.error);
    const result = handler(parsed, { ...deps.context, snapshotVisibilityLagMs: fault.visibilityLagMs });
    if (fault.error) return failed(fault.error);
    const response = protocol.encode(operation, result, requestId);
    return { response, call: { operation, params, status: response.status, error: undefined, time } };
  } catch (error) {
    return fail(error);
  }

  function fail(error: unknown): Served {
    const answer = error instanceof AwsError ? error : protocol.internal(`The emulator failed: ${String(error)}`);
    const response = protocol.encodeError(answer, requestId);
    return { response, call: { operation, params, status: response.status, error: answer.name, time } };
  }
}

/** A failure that is not the service's own answer: the connection goes, or a load balancer answers for it. */
function networkFault(
  failure: InjectedFailure,
  operation: string,
  params: Readonly<Record<string, unknown>>,
  time: number,
): Served {
  const call = { operation, params, error: NETWORK_FAULT[failure.kind as keyof typeof NETWORK_FAULT], time };
  if (failure.kind === 'html') {
    const response = htmlErrorPage(failure.htmlStatus);
    return { response, call: { ...call, status: response.status } };
  }
  return { response: { drop: failure.kind === 'hang' ? 'hang' : 'reset' }, call: { ...call, status: 0 } };
}

/** What a load balancer answers when the service behind it failed: a page for people, not the service's error. */
function htmlErrorPage(status: number): HttpAnswer {
  const title = `${status} ${STATUS_CODES[status] ?? 'Server Error'}`;
  return {
    status,
    headers: { 'content-type': 'text/html' },
    body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
  };
}
