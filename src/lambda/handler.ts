import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';

/** One structured JSON logger for every function; the level comes from `POWERTOOLS_LOG_LEVEL`. */
export const logger = new Logger({ serviceName: 'sgw-recovery-snapshots' });

/**
 * Wraps a step of the state machine as a middy handler with the Lambda context in every log line.
 * Errors pass through untouched, so their `name` reaches the ASL's `Retry` and `Catch`.
 */
export function stepHandler<TEvent, TResult>(
  step: (event: TEvent, context: Context) => Promise<TResult>,
): MiddyfiedHandler<TEvent, TResult, Error, Context> {
  return middy<TEvent, TResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(step);
}
