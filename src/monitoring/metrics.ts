import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { TRANSIENT_AWS_ERRORS } from '../errors.ts';
import type { MetricValue } from './figures.ts';

/** Errors that say an AWS API throttled the call (Storage Gateway, EC2 and S3 names); the state machine retries them. */
export const THROTTLE_ERRORS: readonly string[] = ['ThrottlingException', 'RequestLimitExceeded', 'SlowDown'];

/** The metric names the step middleware adds (one series each per stack). */
export const API_METRICS = {
  /** A step failed with an error the state machine retries (`TRANSIENT_AWS_ERRORS`). */
  retried: 'RetriedApiErrors',
  /** Of those, the throttles. */
  throttled: 'ApiThrottles',
} as const;

/** What the metrics utility logs through: Powertools' `Logger` fits. */
export interface MetricsLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Powertools' notice that an invocation added no metric: the normal case for most steps. */
const EMPTY_BUFFER_NOTICE = 'No application metrics to publish';

/**
 * The metrics buffer of a function, flushed by the step middleware as one EMF line on standard output per
 * invocation. The namespace comes from `POWERTOOLS_METRICS_NAMESPACE` (one per stack); the only dimension is the
 * service (and the function's name on Powertools' `ColdStart`). Most invocations add nothing, so Powertools' notice
 * of an empty buffer goes to `log` as a debug line, not a warning.
 */
export function createMetrics(log: MetricsLogger): Metrics {
  const text = (content: unknown[]) => content.map(String).join(' ');
  return new Metrics({
    serviceName: 'sgw-recovery-snapshots',
    logger: {
      debug: (...content: unknown[]) => log.debug(text(content)),
      info: (...content: unknown[]) => log.info(text(content)),
      warn: (...content: unknown[]) =>
        text(content).startsWith(EMPTY_BUFFER_NOTICE) ? log.debug(text(content)) : log.warn(text(content)),
      error: (...content: unknown[]) => log.error(text(content)),
    },
  });
}

/** Adds `values` to the buffer the step middleware flushes. */
export function addMetricValues(target: Metrics, values: readonly MetricValue[]): void {
  for (const { name, unit, value } of values) target.addMetric(name, unit, value);
}

/**
 * Counts a step's failure with an error the state machine will retry, and among them the throttles: the state
 * machine's retries are otherwise invisible in CloudWatch (a Lambda error metric does not say which). It sits inside
 * `logMetrics`, so its `onError` adds to the buffer before the flush.
 */
export function apiErrorMetrics(target: Metrics): MiddlewareObj {
  const transient: readonly string[] = TRANSIENT_AWS_ERRORS;
  return {
    onError: (request) => {
      const name = request.error?.name;
      if (!name || !transient.includes(name)) return;
      target.addMetric(API_METRICS.retried, 'Count', 1);
      if (THROTTLE_ERRORS.includes(name)) target.addMetric(API_METRICS.throttled, 'Count', 1);
    },
  };
}
