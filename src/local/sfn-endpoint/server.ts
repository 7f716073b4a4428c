import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import * as z from 'zod';
import { createAnsweringServer } from '../http/answering-server.ts';
import { SfnApiError, SfnErrorType } from './errors.ts';
import { OPERATIONS, type OperationDeps, type OperationName } from './operations.ts';

/** `X-Amz-Target` prefix of every Step Functions operation. */
export const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** An HTTP server speaking awsJson1_0 for the operations in `OPERATIONS`. */
export function createSfnServer(deps: OperationDeps): Server {
  return createAnsweringServer(async (headers, body) => {
    const answer = answerOf(headers['x-amz-target'], body, deps);
    return {
      status: answer.status,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
      body: JSON.stringify(answer.body),
    };
  });
}

/** Runs one request; errors become `{"__type", "message"}` as the service writes them. */
export function answerOf(target: string | string[] | undefined, body: string, deps: OperationDeps): Answer {
  try {
    const name =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    if (!Object.hasOwn(OPERATIONS, name)) {
      throw new SfnApiError(SfnErrorType.UnknownOperationException, `Unknown operation ${String(target)}`);
    }
    const operation = OPERATIONS[name as OperationName];
    let json: unknown;
    try {
      json = body.trim() ? JSON.parse(body) : {};
    } catch (error) {
      throw new SfnApiError(SfnErrorType.SerializationException, 'Request body is not valid JSON', { cause: error });
    }
    const parsed = operation.request.safeParse(json);
    if (!parsed.success) throw new SfnApiError(SfnErrorType.ValidationException, z.prettifyError(parsed.error));
    return {
      status: 200,
      body: (operation.handle as (request: unknown, deps: OperationDeps) => Record<string, unknown>)(parsed.data, deps),
    };
  } catch (error) {
    if (error instanceof SfnApiError) return { status: 400, body: { __type: error.name, message: error.message } };
    return { status: 500, body: { __type: 'InternalFailure', message: (error as Error).message } };
  }
}
