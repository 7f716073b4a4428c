import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { apiErrorMetrics, createMetrics } from '../monitoring/metrics.ts';
import { appendLogKeys } from './log-keys.ts';
import { transientNetworkErrors } from './transient-errors.ts';

/** One structured JSON logger for every function; the level comes from `POWERTOOLS_LOG_LEVEL`. */
export const logger = new Logger({ serviceName: 'sgw-recovery-snapshots' });

/** One metrics buffer for every function (EMF on standard output); the step middleware flushes it. */
export const metrics = createMetrics(logger);

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
      error.message = withoutMachinePaths(error.message);
      error.stack = withoutMachinePaths(error.stack?.split('\n').slice(0, MAX_ERROR_STACK_LINES).join('\n'));
    },
  };
}

// An absolute path (or file:// URL) where a path starts: at the start, after white space, a bracket or
// a quote. ARNs hold slashes too, but never right after such a boundary.
const ABSOLUTE_PATH = /(^|[\s('"`[])(?:file:\/\/)?\/(?:[^\s()'"`/[\]]+\/)+/gm;

/**
 * The text with no absolute path of the machine: the working directory's prefix is dropped (the
 * package's own files stay readable as `src/…`), any other directory becomes `…/`. The cause leaves the
 * process in the execution's history, the evidence and the CLI's output.
 */
export function withoutMachinePaths<T extends string | undefined>(text: T, cwd = process.cwd()): T {
  if (text === undefined) return text;
  const root = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return text.replaceAll(`file://${root}`, '').replaceAll(root, '').replace(ABSOLUTE_PATH, '$1…/') as T;
}

/**
 * Wraps a step of the state machine as a middy handler. Errors pass through with their `name`, so it
 * reaches the ASL's `Retry` and `Catch`. Middy runs the `before`s in the order below and the `after`s and
 * `onError`s in reverse, so each middleware's place is chosen for both directions:
 * 1. `injectLambdaContext`: the Lambda context is on every line from the start, and its reset of the
 *    temporary keys runs last, after every other middleware has logged.
 * 2. Powertools' `logMetrics(metrics, { captureColdStartMetric: true })`: its `before` records the cold
 *    start, and its `after` and `onError` flush once the step and every middleware below have added their
 *    metrics, on success and on failure alike; then {@link apiErrorMetrics}, whose `onError` counts an
 *    error the state machine retries, already renamed by the innermost middleware, before that flush.
 * 3. {@link appendLogKeys}: execution, gateway and volume on every line the step writes.
 * 4. {@link boundedErrors}: every middleware above sees the error already bounded.
 * 5. {@link transientNetworkErrors}: innermost, so its `onError` runs first: a reset, a refused connection, a
 *    timeout or an unreadable 5xx becomes `TransientNetworkError` (the name the ASL retries) before the error is
 *    bounded, logged or handed to Lambda.
 */
export function stepHandler<TEvent, TResult>(
  step: (event: TEvent, context: Context) => Promise<TResult>,
): MiddyfiedHandler<TEvent, TResult, Error, Context> {
  return middy<TEvent, TResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }) as MiddlewareObj<TEvent, TResult, Error, Context>)
    .use(apiErrorMetrics(metrics) as MiddlewareObj<TEvent, TResult, Error, Context>)
    .use(appendLogKeys(logger) as MiddlewareObj<TEvent, TResult, Error, Context>)
    .use(boundedErrors() as MiddlewareObj<TEvent, TResult, Error, Context>)
    .use(transientNetworkErrors() as MiddlewareObj<TEvent, TResult, Error, Context>)
    .handler(step);
}
