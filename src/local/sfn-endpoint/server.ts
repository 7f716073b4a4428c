import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import * as z from 'zod';
import { createAnsweringServer, type HttpAnswer } from '../http/answering-server.ts';
import { AWS_RPC_METHOD, AWS_RPC_PATH, createRouter, type Route } from '../http/router.ts';
import { SfnApiError, SfnErrorType } from './errors.ts';
import { OPERATIONS, type OperationDeps, type OperationName } from './operations.ts';

/** `X-Amz-Target` prefix of every Step Functions operation. */
export const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
// Step Functions' hard quota "Maximum request size: 1 MB per request", headers included
// (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html); the endpoint counts the body.
const MAX_REQUEST_BYTES = 1024 * 1024;

/** Step Functions over awsJson1_0: `X-Amz-Target` names the operation; errors are `{"__type", "message"}`. */
const stepFunctionsJson = {
  targetIn: 'x-amz-target',
  maxBodyBytes: MAX_REQUEST_BYTES,
  /** @throws {SfnApiError} `SerializationException` */
  parse(body: string): unknown {
    try {
      return body.trim() ? JSON.parse(body) : {};
    } catch (error) {
      throw new SfnApiError(SfnErrorType.SerializationException, 'Request body is not valid JSON', { cause: error });
    }
  },
  answer: (status: number, body: Record<string, unknown>): HttpAnswer => ({
    status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
  }),
  /** A client error as the service writes it; anything else is its `InternalFailure` (HTTP 500). */
  answerError(error: unknown): HttpAnswer {
    if (error instanceof SfnApiError) return this.answer(error.status, { __type: error.name, message: error.message });
    return this.answer(500, { __type: 'InternalFailure', message: (error as Error).message });
  },
  unknownOperation: (target: string) =>
    new SfnApiError(SfnErrorType.UnknownOperationException, `Unknown operation ${target}`),
  tooLarge: () =>
    new SfnApiError(
      SfnErrorType.RequestEntityTooLargeException,
      `Request body must be at most ${MAX_REQUEST_BYTES} bytes`,
    ),
} as const;

/** One route of the endpoint's table: a Step Functions operation and its handler. */
export interface SfnRoute extends Route<typeof stepFunctionsJson> {
  /** Serves a request of this route; every failure is answered, nothing is thrown. */
  serve(body: string, deps: OperationDeps): HttpAnswer;
}

function routeOf(name: OperationName): SfnRoute {
  const operation = OPERATIONS[name];
  const handle = operation.handle as (request: unknown, deps: OperationDeps) => Record<string, unknown>;
  return {
    method: AWS_RPC_METHOD,
    path: AWS_RPC_PATH,
    target: `${TARGET_PREFIX}${name}`,
    protocol: stepFunctionsJson,
    serve(body, deps) {
      try {
        const parsed = operation.request.safeParse(stepFunctionsJson.parse(body));
        if (!parsed.success) throw new SfnApiError(SfnErrorType.ValidationException, z.prettifyError(parsed.error));
        return stepFunctionsJson.answer(200, handle(parsed.data, deps));
      } catch (error) {
        return stepFunctionsJson.answerError(error);
      }
    },
  };
}

/** Every operation in `OPERATIONS`, by its `X-Amz-Target`. */
export const SFN_ROUTES: readonly SfnRoute[] = (Object.keys(OPERATIONS) as OperationName[]).map(routeOf);

// Step Functions speaks only awsJson1_0: a query-protocol request is an unknown operation too.
const sfnRouter = createRouter(SFN_ROUTES, { 'x-amz-target': stepFunctionsJson, Action: stepFunctionsJson });

/** An HTTP server speaking awsJson1_0 for the operations in `OPERATIONS`. */
export function createSfnServer(deps: OperationDeps): Server {
  return createAnsweringServer(
    async (request) => {
      const match = sfnRouter.match(request);
      return match.route
        ? match.route.serve(request.body, deps)
        : stepFunctionsJson.answerError(stepFunctionsJson.unknownOperation(match.target));
    },
    () => ({
      maxBytes: stepFunctionsJson.maxBodyBytes,
      refuse: () => stepFunctionsJson.answerError(stepFunctionsJson.tooLarge()),
    }),
  );
}
