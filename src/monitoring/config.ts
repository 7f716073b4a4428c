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

/** The notifier's environment: where it publishes and which state machine it speaks of. */
export const NOTIFIER_VARIABLES = { topicArn: 'ALARM_TOPIC_ARN', stateMachineArn: 'STATE_MACHINE_ARN' } as const;

/** The notifier's configuration. */
export interface NotifierConfig {
  topicArn: string;
  stateMachineArn: string;
}

/**
 * The notifier's configuration from the environment, read on first use and then kept.
 * @throws InvalidMonitoringConfigError naming the first variable that is unset or empty
 */
export function notifierConfigFromEnvironment(env: NodeJS.ProcessEnv = process.env): () => NotifierConfig {
  let config: NotifierConfig | undefined;
  const read = (name: string) => {
    const value = env[name]?.trim();
    if (!value) throw new InvalidMonitoringConfigError(`${name} is not set: the notifier cannot publish`);
    return value;
  };
  return () => {
    config ??= {
      topicArn: read(NOTIFIER_VARIABLES.topicArn),
      stateMachineArn: read(NOTIFIER_VARIABLES.stateMachineArn),
    };
    return config;
  };
}
