import { NoSuchKey } from '@aws-sdk/client-s3';
import { InvalidEvidenceError } from '../errors.ts';
import { executionEvidence, executionRefFromArn } from '../evidence/keys.ts';
import { s3Uri } from '../evidence/run-evidence.ts';
import type { EvidenceStore } from '../evidence/store.ts';
import type { EvidenceLocations } from '../report/execution-report.ts';
import type { ManifestGateway } from '../report/gateway-report.ts';

/** An execution's manifest as a notice reads it, and where its evidence is. */
export interface ManifestEvidence {
  evidence: EvidenceLocations;
  /** `undefined` when the execution wrote no manifest (it ended before Summarise). */
  manifest?: ManifestGateway[];
}

/** Reads the `manifest.json` of the execution `executionArn` from `bucket`. */
export async function readManifestEvidence(
  store: EvidenceStore,
  bucket: string,
  executionArn: string,
): Promise<ManifestEvidence> {
  const ref = executionRefFromArn(executionArn);
  if (!ref) throw new InvalidEvidenceError(`${executionArn} is not the ARN of a standard execution`);
  const objects = executionEvidence(bucket, ref);
  const evidence: EvidenceLocations = {
    prefix: `s3://${bucket}/${objects.prefix}`,
    report: s3Uri(objects.report),
    manifest: s3Uri(objects.manifest),
    csv: s3Uri(objects.csv),
  };
  let body: unknown;
  try {
    body = await store.getJson(objects.manifest);
  } catch (error) {
    if (error instanceof NoSuchKey) return { evidence };
    throw error;
  }
  const manifest = (body as { manifest?: unknown } | null)?.manifest;
  if (!Array.isArray(manifest)) throw new InvalidEvidenceError(`${evidence.manifest} is not a manifest`);
  return { evidence, manifest: manifest as ManifestGateway[] };
}
