import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultRule } from '../src/local/emulator/index.ts';
import { type LocalStack, startLocalStack } from '../src/local/stack.ts';

export interface BenchStackOptions {
  fleetPath: string;
  faults?: readonly FaultRule[];
  /** Copies (issue 13): how long a snapshot copy stays pending. */
  copyCompletionMs?: number;
}

/**
 * A fresh local stack: its own emulator and an embedded S3 server over a temporary directory, removed on close, so no
 * run sees another's snapshots or evidence and nothing lands in the user's home. An empty env: the emulator and this
 * S3 server, never an endpoint the caller's shell points at.
 */
export async function startBenchStack({
  fleetPath,
  faults = [],
  copyCompletionMs,
}: BenchStackOptions): Promise<LocalStack> {
  const s3Directory = await mkdtemp(join(tmpdir(), 'sgw-bench-s3-'));
  try {
    const stack = await startLocalStack({
      fleetPath,
      faults,
      env: {},
      s3Directory,
      ...(copyCompletionMs === undefined ? {} : { copyCompletionMs }),
    });
    return {
      ...stack,
      async close() {
        try {
          await stack.close();
        } finally {
          await rm(s3Directory, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(s3Directory, { recursive: true, force: true });
    throw error;
  }
}
