import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EvidenceLocation } from './location.ts';

/** Content types of the evidence objects. */
export const CONTENT_TYPE = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8; header=present',
} as const;

/** One object written. */
export interface WrittenEvidence {
  location: EvidenceLocation;
  /** Size of the body in bytes (UTF-8). */
  bytes: number;
  /** The version S3 gave the object; absent where the bucket is not versioned. */
  versionId?: string;
}

/**
 * Reads and writes evidence objects. S3 errors are not caught or renamed: they reach the caller, and
 * the state machine, with S3's own `name` (`NoSuchKey`, `AccessDenied`, `SlowDown`, …).
 */
export interface EvidenceStore {
  /** Writes `value` as JSON, replacing any current version. */
  putJson(location: EvidenceLocation, value: unknown): Promise<WrittenEvidence>;
  /** Writes `text` (UTF-8) with the given content type, e.g. {@link CONTENT_TYPE}.csv. */
  putText(location: EvidenceLocation, text: string, contentType: string): Promise<WrittenEvidence>;
  /** Reads a JSON object; the caller validates its shape. */
  getJson(location: EvidenceLocation): Promise<unknown>;
}

export interface EvidenceStoreDeps {
  s3: S3Client;
}

/** An evidence store on an S3 client (made by `createS3Client`, one attempt per call). */
export function createEvidenceStore({ s3 }: EvidenceStoreDeps): EvidenceStore {
  async function put(location: EvidenceLocation, text: string, contentType: string): Promise<WrittenEvidence> {
    const body = Buffer.from(text, 'utf8');
    const { VersionId } = await s3.send(
      new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: body, ContentType: contentType }),
    );
    return { location, bytes: body.byteLength, ...(VersionId ? { versionId: VersionId } : {}) };
  }

  return {
    putJson: (location, value) => put(location, JSON.stringify(value), CONTENT_TYPE.json),
    putText: put,
    async getJson(location) {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
      return JSON.parse((await Body?.transformToString('utf8')) ?? '');
    },
  };
}
