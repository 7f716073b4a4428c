import { InvalidMonitoringConfigError } from '../errors.ts';

/** The environment variable of the RPO target, in hours (the stage param `rpoTargetHours`). */
export const RPO_TARGET_VARIABLE = 'RPO_TARGET_HOURS';
/**
 * The RPO target where none is configured (locally): the default of the `rpoTargetHours` stage param. A run every
 * six hours keeps every volume well inside it; two runs missed in a row do not yet breach it.
 * @default 24
 */
export const DEFAULT_RPO_TARGET_HOURS = 24;

/**
 * The RPO target from the environment, read on first use and then kept, like the evidence bucket: an unset variable
 * means the default; a value that is not a positive number fails the function's call, naming the variable.
 */
export function rpoTargetFromEnvironment(env: NodeJS.ProcessEnv = process.env): () => number {
  let hours: number | undefined;
  return () => {
    hours ??= parseRpoTarget(env[RPO_TARGET_VARIABLE]);
    return hours;
  };
}

function parseRpoTarget(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_RPO_TARGET_HOURS;
  const hours = Number(text);
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new InvalidMonitoringConfigError(`${RPO_TARGET_VARIABLE} must be a positive number of hours, not "${text}"`);
  }
  return hours;
}
