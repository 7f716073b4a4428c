import { SgwSnapshotError } from '../errors.ts';

/** The environment variable that names the evidence bucket in the Lambda functions that write evidence. */
export const EVIDENCE_BUCKET_VARIABLE = 'EVIDENCE_BUCKET';
/** The name of {@link EvidenceBucketUnsetError}. */
export const EVIDENCE_BUCKET_UNSET = 'EvidenceBucketUnset';

/** A function that writes evidence was deployed without {@link EVIDENCE_BUCKET_VARIABLE}. */
export class EvidenceBucketUnsetError extends SgwSnapshotError {
  override readonly name = EVIDENCE_BUCKET_UNSET;
}

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
