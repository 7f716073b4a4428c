import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { type RunEvidence, runEvidence } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore, type EvidenceStore } from '../../src/evidence/store.ts';
import type { ExecutionRef } from '../../src/workflow/types.ts';
import { ACCOUNT, EXECUTION } from './fixtures.ts';
import { startTestS3 } from './local-s3.ts';

/** The evidence bucket the handlers under test are given. */
export const EVIDENCE_BUCKET = 'sgw-snap-evidence-test';
/** The state machine of {@link executionNamed}: the first segment of the evidence prefix. */
export const STATE_MACHINE_NAME = 'sgw-recovery-snapshots';

/**
 * An execution of its own for one test: the file's tests share one S3 server, and the evidence prefix comes from
 * the execution's ARN, so each test reads and writes only its own objects.
 */
export function executionNamed(name: string): ExecutionRef {
  return {
    id: `arn:aws:states:us-east-1:${ACCOUNT}:execution:${STATE_MACHINE_NAME}:${name}`,
    name,
    startTime: EXECUTION.startTime,
  };
}

/** A real S3 server (s3rver) on a temporary directory, with the evidence bucket, for one test file. */
export interface LocalEvidence {
  s3: S3Client;
  store: EvidenceStore;
  /** The bucket as a handler is given it. */
  bucket: () => string;
  /** One execution's evidence: to arrange gateway objects and to read back what a handler wrote. */
  of(execution: ExecutionRef): RunEvidence;
  /** The keys under an execution's prefix, sorted. */
  keysOf(execution: ExecutionRef): Promise<string[]>;
  /** An object's body as text. */
  text(key: string): Promise<string>;
  /** Stops the server and deletes its directory. */
  close(): Promise<void>;
}

/** Starts the server; call it in `beforeAll` and `close` it in `afterAll`. */
export async function startLocalEvidence(): Promise<LocalEvidence> {
  const { s3, close } = await startTestS3([EVIDENCE_BUCKET]);
  const store = createEvidenceStore({ s3 });
  return {
    s3,
    store,
    bucket: () => EVIDENCE_BUCKET,
    of: (execution) => runEvidence(store, EVIDENCE_BUCKET, execution.id),
    async keysOf(execution) {
      const Prefix = `executions/${STATE_MACHINE_NAME}/${execution.name}/`;
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: EVIDENCE_BUCKET, Prefix }));
      return Contents.flatMap((o) => (o.Key ? [o.Key] : [])).sort();
    },
    async text(key) {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: EVIDENCE_BUCKET, Key: key }));
      return (await Body?.transformToString('utf8')) ?? '';
    },
    close,
  };
}
