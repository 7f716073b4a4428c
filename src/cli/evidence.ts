import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { InvalidEvidenceError } from '../errors.ts';
import { locationOfUri } from '../evidence/run-evidence.ts';
import { createEvidenceStore, type EvidenceStore } from '../evidence/store.ts';
import { LOCAL_S3_CREDENTIALS } from '../local/s3-server.ts';
import type { ExecutionReport, ReportDigest } from '../report/execution-report.ts';
import { classifyAwsError } from './classify-error.ts';
import { credentialsFrom, isLocalEndpoint, regionFrom } from './sfn/client.ts';

/** Reads an execution's whole report from its evidence, wherever the digest says it is. */
export interface EvidenceReader {
  readReport(digest: ReportDigest): Promise<ExecutionReport>;
  /** The report at an `s3://` URI. */
  readReportAt(uri: string): Promise<ExecutionReport>;
  /** Restore (issue 14): the JSON object at an `s3://` URI, unchecked (the caller knows its shape). */
  readJsonAt(uri: string): Promise<unknown>;
  close(): void;
}

/**
 * The evidence reader of a command, configured from `env` once: `AWS_ENDPOINT_URL_S3` (or `AWS_ENDPOINT_URL`),
 * `AWS_REGION` and access keys when set, the SDK's own chain otherwise. A local endpoint (`sgw-snap serve`'s S3
 * server) needs no credentials or Region of the user's: s3rver knows only its own key pair, so where the user's keys
 * are refused there (`InvalidAccessKeyId`), the read is made again with that pair.
 */
export function createEvidenceReader(env: NodeJS.ProcessEnv, store?: EvidenceStore): EvidenceReader {
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (store) return readerOf(store, endpoint ?? 'S3');
  const local = isLocalEndpoint(endpoint);
  const region = regionFrom(env, local);
  const { credentials } = credentialsFrom(env);
  const clientWith = (keys: S3ClientConfig['credentials']) =>
    new S3Client({
      ...(endpoint ? { endpoint, forcePathStyle: local } : {}),
      ...(region ? { region } : {}),
      ...(keys ? { credentials: keys } : {}),
    });
  const s3 = clientWith(credentials ?? (local ? LOCAL_S3_CREDENTIALS : undefined));
  // Keys set for the local Step Functions endpoint are not s3rver's: its own pair is the one it takes.
  const s3rver = local && credentials ? clientWith(LOCAL_S3_CREDENTIALS) : undefined;
  const primary = createEvidenceStore({ s3 });
  return readerOf(
    s3rver ? orOnRefusedKey(primary, createEvidenceStore({ s3: s3rver })) : primary,
    endpoint ?? 'S3',
    () => {
      s3.destroy();
      s3rver?.destroy();
    },
  );
}

/** `store`, whose reads refused for an unknown access key are made again by `fallback`. */
function orOnRefusedKey(store: EvidenceStore, fallback: EvidenceStore): EvidenceStore {
  return {
    ...store,
    getJson: (location) =>
      store.getJson(location).catch((error: unknown) => {
        if ((error as Error | undefined)?.name !== 'InvalidAccessKeyId') throw error;
        return fallback.getJson(location);
      }),
  };
}

/** A reader over a store the caller owns (a local run's S3 server). */
export function readerOf(store: EvidenceStore, endpoint: string, close: () => void = () => {}): EvidenceReader {
  const reader: EvidenceReader = {
    readReport(digest) {
      if (!digest.evidence)
        throw new InvalidEvidenceError(`execution ${digest.execution.name} names no evidence to read`);
      return reader.readReportAt(digest.evidence.report);
    },
    async readJsonAt(uri) {
      const location = locationOfUri(uri);
      if (!location) throw new InvalidEvidenceError(`${uri} is not an s3:// URI`);
      try {
        return await store.getJson(location);
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'NoSuchKey' || name === 'NoSuchBucket') {
          throw new InvalidEvidenceError(`${uri} does not exist (${name})`, { cause: error });
        }
        throw classifyAwsError('GetObject', error, { service: 'S3', endpoint, permission: 's3:GetObject' });
      }
    },
    async readReportAt(uri) {
      const value = await reader.readJsonAt(uri);
      const report = value as Partial<ExecutionReport> | null;
      if (!report?.summary || !Array.isArray(report.manifest) || !Array.isArray(report.snapshots)) {
        throw new InvalidEvidenceError(`${uri} is not an execution report`);
      }
      return report as ExecutionReport;
    },
    close,
  };
  return reader;
}
