import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsError } from './errors.ts';
import type { FaultInjector } from './faults.ts';
import type { EncodedResponse, OperationContext, RawRequest, Service } from './service.ts';

/** One request the emulator answered, for tests and the benchmark. */
export interface EmulatorCall {
  /** e.g. `ListGateways` or `DescribeSnapshots`; what the client asked for when it is unknown. */
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

/**
 * Serves one request: decode, apply faults, run the operation, encode. Every failure,
 * including a bug in an operation, becomes an AWS error response; nothing is thrown.
 */
export async function dispatch<P extends Readonly<Record<string, unknown>>, R>(
  service: Service<P, R>,
  request: RawRequest,
  deps: DispatchDeps,
): Promise<{ response: EncodedResponse; call: EmulatorCall }> {
  const requestId = randomUUID();
  const time = deps.context.now();
  let operation = '';
  let params: Readonly<Record<string, unknown>> = {};
  try {
    const decoded = service.decode(request);
    operation = decoded.operation;
    params = decoded.params;
    const handler = service.operations.get(operation);
    if (!handler) throw service.unknownOperation(operation);
    const fault = deps.faults.decide(operation, service.target(decoded.params));
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.throttled) throw service.throttled();
    if (fault.error && !fault.error.afterEffect) throw service.injected(fault.error.name);
    const result = handler(decoded.params, deps.context);
    if (fault.error) throw service.injected(fault.error.name);
    const response = service.encode(operation, result, requestId);
    return { response, call: { operation, params, status: response.status, error: undefined, time } };
  } catch (error) {
    const answer = error instanceof AwsError ? error : service.internal(`The emulator failed: ${String(error)}`);
    const response = service.encodeError(answer, requestId);
    return { response, call: { operation, params, status: response.status, error: answer.name, time } };
  }
}
