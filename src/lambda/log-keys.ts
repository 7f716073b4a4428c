import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';

/** What ties a log line to its execution, gateway and volume; a key the event lacks is left out. */
// A type, not an interface: `appendKeys` takes an index signature, which only a type alias meets.
export type StepLogKeys = {
  executionName?: string;
  gatewayArn?: string;
  volumeArn?: string;
};

// Every payload of the workflow (`src/workflow/types.ts`) that has these fields names them the same way.
interface KeyedEvent {
  execution?: { name?: unknown };
  gatewayArn?: unknown;
  point?: { volumeArn?: unknown } | null;
}

/**
 * The log keys of a step's event, read from the workflow's well-known fields: `execution.name`,
 * `gatewayArn` and `point.volumeArn`.
 */
export function stepLogKeys(event: unknown): StepLogKeys {
  if (typeof event !== 'object' || event === null) return {};
  const { execution, gatewayArn, point } = event as KeyedEvent;
  const keys: StepLogKeys = {};
  if (typeof execution?.name === 'string') keys.executionName = execution.name;
  if (typeof gatewayArn === 'string') keys.gatewayArn = gatewayArn;
  if (typeof point?.volumeArn === 'string') keys.volumeArn = point.volumeArn;
  return keys;
}

/**
 * Appends the event's log keys ({@link stepLogKeys}) before the step runs, so every line the step writes
 * carries them. They are temporary keys: `injectLambdaContext` with `resetKeys` removes them after the
 * invocation, so none leaks into the next one.
 */
export function appendLogKeys(logger: Logger): MiddlewareObj {
  return {
    before: ({ event }) => {
      logger.appendKeys(stepLogKeys(event));
    },
  };
}
