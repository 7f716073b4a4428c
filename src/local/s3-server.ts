import { homedir } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createS3Client } from '../aws/clients.ts';

/** The evidence bucket of a local run, unless `EVIDENCE_BUCKET` names another. */
export const DEFAULT_LOCAL_EVIDENCE_BUCKET = 'sgw-snap-evidence';
/** Overrides the directory the local S3 server keeps its buckets in. */
export const S3_DIRECTORY_VARIABLE = 'SGW_SNAP_S3_DIR';
/** The only key pair s3rver accepts: its built-in account. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * Where local evidence is kept between runs: `$SGW_SNAP_S3_DIR`, else `$XDG_DATA_HOME/sgw-snap/s3`,
 * else `~/.local/share/sgw-snap/s3`.
 */
export function defaultS3Directory(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const chosen = env[S3_DIRECTORY_VARIABLE];
  if (chosen) return path.resolve(chosen);
  // The XDG spec ignores a relative XDG_DATA_HOME.
  const dataHome = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : undefined;
  return path.join(dataHome ?? path.join(home, '.local', 'share'), 'sgw-snap', 's3');
}

export interface LocalS3ServerOptions {
  /** Where buckets and objects are kept; they are there again after a restart on the same directory. */
  directory: string;
  /** Buckets that exist once the server listens (existing ones are kept as they are). */
  buckets: readonly string[];
  /** @default 0, any free port */
  port?: number;
}

/** An S3-compatible server (s3rver) on 127.0.0.1. */
export interface LocalS3Server {
  readonly directory: string;
  /** Creates the buckets and listens on an ephemeral port. */
  listen(): Promise<{ url: string }>;
  /** Stops listening; the data stays in {@link LocalS3Server.directory}. */
  close(): Promise<void>;
}

/** Builds the server without starting it. */
export function createLocalS3Server(options: LocalS3ServerOptions): LocalS3Server {
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    // Koa and s3rver's own logger both honour this: nothing reaches the console.
    silent: true,
    directory: options.directory,
    resetOnClose: false,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  let listening = false;
  return {
    directory: options.directory,
    async listen() {
      const { port } = await server.run();
      listening = true;
      return { url: `http://127.0.0.1:${port}` };
    },
    async close() {
      if (!listening) return;
      listening = false;
      await server.close();
    },
  };
}

/** A client of a local S3 server: path-style requests (no DNS name per bucket) signed with s3rver's own key pair. */
export function createLocalS3Client(endpoint: string, region: string): S3Client {
  return createS3Client({ region, credentials: LOCAL_S3_CREDENTIALS, endpoint, forcePathStyle: true });
}
