import type * as z from 'zod';
import { InvalidInputError } from '../errors.ts';
import { ExecutionInputSchema, type ExecutionOptions } from './schema.ts';

/**
 * Validates an execution input and applies the defaults.
 * @throws InvalidInputError naming the first offending field, with every problem in the message.
 */
export function parseExecutionInput(raw: unknown): ExecutionOptions {
  const result = ExecutionInputSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map(describeIssue);
  const message = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  throw new InvalidInputError(problems[0]?.field ?? '(input)', message, { cause: result.error });
}

function describeIssue(issue: z.core.$ZodIssue): { field: string; message: string } {
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  const message = issue.code === 'unrecognized_keys' ? 'unknown field (a typo?)' : issue.message;
  return { field: fieldName(path) || '(input)', message };
}

/** `['gatewayArns', 0]` → `gatewayArns[0]`; `['policy', 'minAgeMinutes']` → `policy.minAgeMinutes` */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`)).join('');
}
