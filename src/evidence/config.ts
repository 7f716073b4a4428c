import { EvidenceBucketUnsetError } from '../errors.ts';
import type { EvidenceStore } from './store.ts';

/** The environment variable that names the evidence bucket in the Lambda functions that write evidence. */
export const EVIDENCE_BUCKET_VARIABLE = 'EVIDENCE_BUCKET';
/** Where evidence goes. */
export interface EvidenceConfig {
  bucket: string;
}

/**
 * Reads the evidence configuration once, at module scope of a handler.
 * @throws EvidenceBucketUnsetError when the variable is unset or empty
 */
export function readEvidenceConfig(env: NodeJS.ProcessEnv = process.env): EvidenceConfig {
  const bucket = env[EVIDENCE_BUCKET_VARIABLE]?.trim();
  if (!bucket)
    throw new EvidenceBucketUnsetError(`${EVIDENCE_BUCKET_VARIABLE} is not set: the function cannot write evidence`);
  return { bucket };
}

/**
 * The bucket from the environment, read on first use and then kept: a function deployed without it fails its
 * first call with `EvidenceBucketUnset`, not its import (which every local run and test shares).
 */
export function evidenceBucketFromEnvironment(env: NodeJS.ProcessEnv = process.env): () => string {
  let bucket: string | undefined;
  return () => {
    bucket ??= readEvidenceConfig(env).bucket;
    return bucket;
  };
}

/** What a step that reads or writes evidence is given. */
export interface EvidenceDependencies {
  evidence: EvidenceStore;
  evidenceBucket: () => string;
}
