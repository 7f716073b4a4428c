import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where definitions that passed the engine's validator are remembered across processes. */
export const DEFAULT_VALIDATED_DIRECTORY = join(tmpdir(), 'sgw-snap-validated-asl');

/**
 * Definitions the engine's validator accepted, remembered by a hash of their JSON and the engine's version, in this
 * process and on disk. AWS validates a definition once, when the state machine is created or updated, not per
 * execution; the engine's validator compiles its JSON schemas anew on every call (half a second or more), which every
 * `run --local` and every test file paid for the same unchanged ASL. A definition that fails is never remembered.
 */
export class ValidatedDefinitions {
  readonly #directory: string;
  readonly #seen = new Set<string>();
  readonly #version: string;

  /** @param directory @default DEFAULT_VALIDATED_DIRECTORY */
  constructor(directory: string = DEFAULT_VALIDATED_DIRECTORY) {
    this.#directory = directory;
    this.#version = engineVersion();
  }

  /** Runs `validate` unless `definition` passed it before, here or in another process; remembers it when it passes. */
  ensure(definition: unknown, validate: () => void): void {
    const key = this.#key(definition);
    if (this.#seen.has(key)) return;
    const stamp = join(this.#directory, key);
    if (!existsSync(stamp)) {
      validate();
      this.#remember(stamp);
    }
    this.#seen.add(key);
  }

  /** Marks `definition` as validated, e.g. a part of a definition that was validated whole. */
  add(definition: unknown): void {
    this.#seen.add(this.#key(definition));
  }

  #key(definition: unknown): string {
    return createHash('sha256').update(this.#version).update(JSON.stringify(definition)).digest('hex');
  }

  #remember(stamp: string): void {
    try {
      mkdirSync(this.#directory, { recursive: true });
      writeFileSync(stamp, '');
    } catch {
      // A read-only temporary directory only costs the next process a validation.
    }
  }
}

/** The installed aws-local-stepfunctions' version: its validator decides what passes. */
function engineVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('aws-local-stepfunctions'));
  const manifest = join(dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
