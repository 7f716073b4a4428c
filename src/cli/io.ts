import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.ts';

/** Where a command writes; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  /** `columns`: a terminal's width, which a live status area is cut to. */
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Where SIGINT and SIGTERM arrive: `process`, or a test's emitter. */
export type SignalSource = Pick<NodeJS.EventEmitter, 'once' | 'off'>;

/** Resolves at the first SIGINT or SIGTERM, and stops listening for both then. */
export function waitForStopSignal(signals: SignalSource): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      resolve();
    };
    signals.once('SIGINT', stop);
    signals.once('SIGTERM', stop);
  });
}

/**
 * Reads `--input`: inline JSON, or `@path` to a JSON file.
 * @throws {UsageError} when the file cannot be read or the text is not JSON
 */
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

/**
 * Checks, before anything starts, that `path` can be written: an existing file that is writable, or a
 * new one in a writable directory. A report that cannot be written is found out before the execution
 * runs, not after it, when it would turn the execution's outcome into a usage error.
 * @throws {UsageError} naming `flag` and the reason
 */
export async function assertWritablePath(path: string, flag: string): Promise<void> {
  const target = resolve(path);
  const existing = await stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UsageError(`${flag}: cannot write ${path}: ${error.message}`, { cause: error });
  });
  if (existing?.isDirectory()) throw new UsageError(`${flag}: ${path} is a directory; name a file`);
  const checked = existing ? target : dirname(target);
  try {
    if (!existing && !(await stat(checked)).isDirectory()) throw new Error(`${checked} is not a directory`);
    await access(checked, constants.W_OK);
  } catch (error) {
    throw new UsageError(`${flag}: cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
