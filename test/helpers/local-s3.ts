import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { createLocalS3Client, createLocalS3Server, type LocalS3Server } from '../../src/local/s3-server.ts';

/** A fresh temporary directory for a local S3 server's data. */
export function temporaryS3Directory(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'sgw-s3-'));
}

/** A client of a local S3 server at `url`, as the local stack makes it. */
export function localS3Client(url: string): S3Client {
  return createLocalS3Client(url, 'us-east-1');
}

export interface TestS3 {
  server: LocalS3Server;
  s3: S3Client;
  url: string;
  /** Stops the server and deletes its directory. */
  close(): Promise<void>;
}

/** A local S3 server with `buckets`, in a temporary directory of its own. */
export async function startTestS3(buckets: readonly string[]): Promise<TestS3> {
  const directory = await temporaryS3Directory();
  const server = createLocalS3Server({ directory, buckets });
  const { url } = await server.listen();
  const s3 = localS3Client(url);
  return {
    server,
    s3,
    url,
    async close() {
      s3.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
