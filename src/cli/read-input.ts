import { readFile } from 'node:fs/promises';
import { UsageError } from './usage-error.ts';

/** Reads `--input`: inline JSON, or `@path` to a JSON file. */
export async function readInputOption(value: string | undefined, flag = '--input'): Promise<unknown> {
  if (value === undefined) return {};
  let text = value;
  if (value.startsWith('@')) {
    const path = value.slice(1);
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(`${flag}: cannot read ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${flag}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
