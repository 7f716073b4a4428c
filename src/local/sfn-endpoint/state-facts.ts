import { type AslDefinition, allStates, taskFunctions } from '../../statemachine/definition.ts';
import type { StateFacts } from './history.ts';

/**
 * What the history needs from the ASL: each Task's Lambda ARN (as `functionArnOf` names the function)
 * and timeout, and each Map's `ItemsPath`, resolved on the state's input (`$.a.b` paths only).
 */
export function stateFactsOf(definition: AslDefinition, functionArnOf: (functionKey: string) => string): StateFacts {
  const states = allStates(definition);
  const functions = taskFunctions(definition);
  return {
    task(stateName) {
      const key = functions.get(stateName);
      if (!key) return undefined;
      const timeout = states.get(stateName)?.TimeoutSeconds;
      return { resource: functionArnOf(key), ...(typeof timeout === 'number' ? { timeoutInSeconds: timeout } : {}) };
    },
    itemCount(stateName, input) {
      const path = states.get(stateName)?.ItemsPath;
      const items = typeof path === 'string' ? valueAt(input, path) : input;
      return Array.isArray(items) ? items.length : undefined;
    },
  };
}

function valueAt(input: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z_][\w-]*)*$/.test(path)) return undefined;
  let value = input;
  for (const key of path.split('.').slice(1)) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}
