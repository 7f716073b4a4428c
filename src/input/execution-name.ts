/**
 * Step Functions' rules for an execution name, from the `name` member of `StartExecution` in the
 * service model (botocore `stepfunctions/2016-11-23`, shape `Name`: 1 to 80 characters, and the list of
 * characters a name must not contain). One validator for every place a name is taken: `run --local
 * --name`, `start --name` and the local endpoint's `StartExecution`.
 */

/** The longest execution name Step Functions takes. */
export const MAX_EXECUTION_NAME_LENGTH = 80;

// White space; brackets; wildcards; the special characters the API lists; control characters
// U+0000-001F and U+007F-009F (\p{Cc}); U+FFFE and U+FFFF; surrogates that do not form a pair.
const REFUSED_CHARACTER = /[\s\p{Z}\p{Cc}<>{}[\]?*"#%\\^|~`$&,;:/\uFFFE\uFFFF]|\p{Cs}/u;

/**
 * Why Step Functions would refuse `name` as an execution name, or `undefined` when it takes it.
 * The length is counted in UTF-16 code units, as the service's Java model does.
 */
export function executionNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > MAX_EXECUTION_NAME_LENGTH)
    return `must be 1 to ${MAX_EXECUTION_NAME_LENGTH} characters`;
  const refused = REFUSED_CHARACTER.exec(name)?.[0];
  if (refused !== undefined)
    return `must not contain ${JSON.stringify(refused)} (white space, brackets, wildcards, control characters and " # % \\ ^ | ~ \` $ & , ; : / are refused)`;
  return undefined;
}
