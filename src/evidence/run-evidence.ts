import { NoSuchKey } from '@aws-sdk/client-s3';
import { InvalidEvidenceError } from '../errors.ts';
import type { EvidenceLocations, ExecutionReport } from '../report/execution-report.ts';
import { type GatewayReport, volumeIdOf } from '../report/gateway-report.ts';
import { REPORT_COLUMNS, reportRows } from '../report/rows.ts';
import { formatCsv } from './csv.ts';
import { type ExecutionEvidence, executionEvidence, executionRefFromArn } from './keys.ts';
import type { EvidenceLocation } from './location.ts';
import { CONTENT_TYPE, type EvidenceStore, type WrittenEvidence } from './store.ts';

/** How many evidence objects one step reads or writes at once. */
export const EVIDENCE_CONCURRENCY = 32;

/** One execution's evidence, as the steps that write it see it. */
export interface RunEvidence {
  /** Where the execution's objects are, as `s3://` URIs. */
  readonly locations: EvidenceLocations;
  /** Writes (or rewrites) one gateway's whole account. */
  writeGateway(gateway: GatewayReport): Promise<WrittenEvidence>;
  /** One gateway's account, or `undefined` when its child execution never wrote one. */
  readGateway(gatewayArn: string): Promise<GatewayReport | undefined>;
  /** Writes `report.json`, `manifest.json` and `report.csv`. */
  writeReport(report: ExecutionReport): Promise<WrittenEvidence[]>;
}

/** `s3://bucket/key` */
export function s3Uri({ bucket, key }: EvidenceLocation): string {
  return `s3://${bucket}/${key}`;
}

/** `s3://bucket/key` → its location; `undefined` for anything else. */
export function locationOfUri(uri: string): EvidenceLocation | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return match?.[1] && match[2] ? { bucket: match[1], key: match[2] } : undefined;
}

/**
 * The evidence of the execution `executionArn` (the parent's: a Map child is handed its parent's `execution`)
 * in `bucket`.
 */
export function runEvidence(store: EvidenceStore, bucket: string, executionArn: string): RunEvidence {
  const ref = executionRefFromArn(executionArn);
  if (!ref) throw new InvalidEvidenceError(`${executionArn} is not the ARN of a standard execution`);
  const objects: ExecutionEvidence = executionEvidence(bucket, ref);
  const gatewayLocation = (gatewayArn: string) => objects.gateway(volumeIdOf(gatewayArn));
  return {
    locations: {
      prefix: `s3://${bucket}/${objects.prefix}`,
      report: s3Uri(objects.report),
      manifest: s3Uri(objects.manifest),
      csv: s3Uri(objects.csv),
    },
    writeGateway: (gateway) => store.putJson(gatewayLocation(gateway.gatewayArn), gateway),
    async readGateway(gatewayArn) {
      try {
        return asGatewayReport(await store.getJson(gatewayLocation(gatewayArn)), gatewayArn);
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
    writeReport: (report) =>
      Promise.all([
        store.putJson(objects.report, report),
        store.putJson(objects.manifest, {
          execution: report.execution,
          dryRun: report.dryRun,
          manifest: report.manifest,
        }),
        store.putText(objects.csv, formatCsv(REPORT_COLUMNS, reportRows(report)), CONTENT_TYPE.csv),
      ]),
  };
}

/** Runs `work` over `items`, at most `limit` at once, keeping their order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  limit = EVIDENCE_CONCURRENCY,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function asGatewayReport(value: unknown, gatewayArn: string): GatewayReport {
  const report = value as Partial<GatewayReport> | null;
  const lists = [report?.snapshots, report?.skipped, report?.failures, report?.earlierSnapshots];
  if (report?.gatewayArn !== gatewayArn || !lists.every(Array.isArray)) {
    throw new InvalidEvidenceError(`the evidence object of ${gatewayArn} is not a gateway report`);
  }
  return report as GatewayReport;
}
