import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { InvalidFaultRulesError } from './emulator/errors.ts';
import { type FaultRule, FaultRuleSchema } from './emulator/faults.ts';

/**
 * A fault file: the emulator's fault rules (`FaultRuleSchema`) as a JSON list, applied over the fleet by
 * `emulator`, `run --local` and `serve` (`--faults FILE`), so a bad day can be rehearsed without writing code.
 */
export const FaultFileSchema = z.array(FaultRuleSchema);

/**
 * Reads and validates a fault file.
 * @throws {InvalidFaultRulesError} naming the file, and the rule and field at fault
 */
export async function loadFaultFile(path: string): Promise<FaultRule[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new InvalidFaultRulesError(`cannot read fault file ${path}: ${(cause as Error).message}`, { cause });
  }
  const parsed = FaultFileSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidFaultRulesError(`${path} is not a list of fault rules:\n${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  // The rules as written: the emulator applies their defaults itself.
  return value as FaultRule[];
}
