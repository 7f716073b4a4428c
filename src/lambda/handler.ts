import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';

/** One structured JSON logger for every function; the level comes from `POWERTOOLS_LOG_LEVEL`. */
export const logger = new Logger({ serviceName: 'sgw-recovery-snapshots' });

/** The longest error message a step lets out. */
export const MAX_ERROR_MESSAGE_LENGTH = 1000;
/** How many lines of an error's stack a step lets out. */
export const MAX_ERROR_STACK_LINES = 6;

/**
 * Bounds what a failed step puts into the state machine: Lambda turns the error into a Catch's
 * `Cause` (message and stack trace), and a Map collects one per failed volume under the 256 KB payload
 * limit. The error's `name`, which the ASL matches, is never touched.
 */
export function boundedErrors(): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    onError: (request) => {
      const { error } = request;
      if (!error) return;
      if (error.message.length > MAX_ERROR_MESSAGE_LENGTH) {
        error.message = `${error.message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…`;
      }
      error.stack = error.stack?.split('\n').slice(0, MAX_ERROR_STACK_LINES).join('\n');
    },
  };
}

/**
 * Wraps a step of the state machine as a middy handler with the Lambda context in every log line.
 * Errors pass through with their `name`, so it reaches the ASL's `Retry` and `Catch`.
 */
export function stepHandler<TEvent, TResult>(
  step: (event: TEvent, context: Context) => Promise<TResult>,
): MiddyfiedHandler<TEvent, TResult, Error, Context> {
  return middy<TEvent, TResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(boundedErrors() as MiddlewareObj<TEvent, TResult, Error, Context>)
    .handler(step);
}
