import type * as z from 'zod';
import { InvalidInputError } from '../errors.ts';
import { type ExecutionScope, outOfScopeProblem } from './execution-scope.ts';
import { ExecutionInputSchema, type ExecutionOptions } from './schema.ts';

/**
 * Validates an execution input and applies the defaults. `null` and every other value that is not an
 * object is refused; only a missing input (`undefined`) means `{}`.
 * @param scope where the execution runs: every ARN must lie in its partition, Region and account.
 *   Without it, ARNs are checked for their shape only.
 * @throws InvalidInputError naming the first offending field, with every problem in the message.
 */
export function parseExecutionInput(raw: unknown, scope?: ExecutionScope): ExecutionOptions {
  const input = raw === undefined ? {} : raw;
  const hidden = hiddenKeyPath(input);
  // zod copies a record key by assignment, and `obj['__proto__'] = v` sets the prototype instead: the
  // key would vanish without a word. No tag or field is worth that, so the key is refused.
  if (hidden !== undefined) throw new InvalidInputError(hidden, `${hidden}: the key __proto__ is not allowed`);
  const result = ExecutionInputSchema.safeParse(input);
  if (!result.success) throw invalidInput(result.error.issues.map(describeIssue), result.error);
  const options = result.data;
  const problems = [...scopeProblems(options, scope), ...volumesOutsideGateways(options, options.gatewayArns)];
  if (problems.length) throw invalidInput(problems);
  return options;
}

/**
 * Refuses `volumeArns` whose gateway is not among `gatewayArns`: such a volume can never be
 * snapshotted by this execution, and saying nothing would end it "succeeded" with nothing done.
 * The Plan step calls it again once it has discovered the gateways.
 * @throws InvalidInputError naming the first such volume
 */
export function assertVolumesInGateways(options: ExecutionOptions, gatewayArns: readonly string[]): void {
  const problems = volumesOutsideGateways(options, gatewayArns);
  if (problems.length) throw invalidInput(problems);
}

export interface Problem {
  field: string;
  message: string;
}

/** One `InvalidInputError` for all `problems`, naming the first. */
export function invalidInput(problems: readonly Problem[], cause?: unknown): InvalidInputError {
  const message = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return new InvalidInputError(problems[0]?.field ?? '(input)', message, cause === undefined ? undefined : { cause });
}

function volumesOutsideGateways(options: ExecutionOptions, gatewayArns: readonly string[] | undefined): Problem[] {
  if (!gatewayArns || !options.volumeArns) return [];
  const gateways = new Set(gatewayArns);
  return options.volumeArns.flatMap((arn, i) =>
    gateways.has(arn.slice(0, arn.indexOf('/volume/')))
      ? []
      : [{ field: `volumeArns[${i}]`, message: 'names a volume of none of the gateways in scope' }],
  );
}

function scopeProblems(options: ExecutionOptions, scope: ExecutionScope | undefined): Problem[] {
  if (!scope) return [];
  const lists = {
    gatewayArns: options.gatewayArns,
    volumeArns: options.volumeArns,
    excludeVolumeArns: options.excludeVolumeArns,
  };
  return Object.entries(lists).flatMap(([field, arns = []]) =>
    arns.flatMap((arn, i) => {
      const message = outOfScopeProblem(arn, scope);
      return message ? [{ field: `${field}[${i}]`, message }] : [];
    }),
  );
}

// JSON nests at most this deep in a valid input; deeper is refused by the schema anyway.
const MAX_DEPTH = 4;

/** The field path of the first own `__proto__` key, looked for as deep as a valid input goes. */
function hiddenKeyPath(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || depth > MAX_DEPTH) return undefined;
  for (const key of Object.keys(value)) {
    const field = path ? `${path}.${key}` : key;
    if (key === '__proto__') return field;
    const inner = hiddenKeyPath((value as Record<string, unknown>)[key], field, depth + 1);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

export function describeIssue(issue: z.core.$ZodIssue): Problem {
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  const message = issue.code === 'unrecognized_keys' ? 'unknown field (a typo?)' : issue.message;
  return { field: fieldName(path) || '(input)', message };
}

/** `['gatewayArns', 0]` → `gatewayArns[0]`; `['policy', 'minAgeMinutes']` → `policy.minAgeMinutes` */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`)).join('');
}
