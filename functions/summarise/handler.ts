import type { EC2Client } from '@aws-sdk/client-ec2';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { createEc2Client, createS3Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { findSnapshotsOfExecution, knownSnapshot } from '../../src/aws/ec2.ts';
import { backOffUntilVisible, type VisibilityBackoff } from '../../src/aws/ec2-visibility.ts';
import { listCachedGateways } from '../../src/aws/storage-gateway.ts';
import { type CopiesState, copyOutcomesOf } from '../../src/copies/outcomes.ts';
import { withCopies } from '../../src/copies/report.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { mapConcurrently, runEvidence } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import type { ExecutionOptions } from '../../src/input/schema.ts';
import { logger, metrics, stepHandler } from '../../src/lambda/handler.ts';
import { DEFAULT_RPO_TARGET_HOURS, rpoTargetFromEnvironment } from '../../src/monitoring/config.ts';
import { executionFigures, metricValues } from '../../src/monitoring/figures.ts';
import { addMetricValues } from '../../src/monitoring/metrics.ts';
import { readableCause } from '../../src/report/cause.ts';
import { abandonWait } from '../../src/report/completion.ts';
import { buildReport, digestOf, type ReportDigest } from '../../src/report/execution-report.ts';
import {
  failuresWithoutSnapshot,
  type GatewayReport,
  nameFailedSnapshots,
  showsUnnamedSnapshots,
  unreportedGateway,
} from '../../src/report/gateway-report.ts';
import type { ExecutionRef, KnownSnapshot, StatesError } from '../../src/workflow/types.ts';

/** The execution's state when it reaches `Summarise` (with the copies' outcome, issue 13). */
export interface SummariseRequest extends CopiesState {
  options: ExecutionOptions;
  execution: ExecutionRef;
  gatewayArns: string[];
  /** The gateway Map failed as a whole (locally, one child failing fails it). */
  mapFailure?: StatesError;
  /** The wait for completion failed for good: EC2 could not be asked. */
  waitFailure?: StatesError;
}

export interface SummariseResult {
  digest: ReportDigest;
  failed: boolean;
  /** When failed: the digest, the cause of `SnapshotsFailed`. */
  cause: string;
}

export interface SummariseDependencies extends EvidenceDependencies {
  ec2: EC2Client;
  storageGateway: StorageGatewayClient;
  now: () => number;
  /** The RPO target of the `StaleVolumes` metric, in hours. @default DEFAULT_RPO_TARGET_HOURS (local runs) */
  rpoTargetHours?: () => number;
  /** How the look-up by the execution's tag waits for EC2 to show what a failed child made. @default EC2's one backoff */
  visibility?: VisibilityBackoff;
}

/**
 * Joins the gateways' evidence into the execution's report and writes it whole (`report.json`, `manifest.json`,
 * `report.csv`); the state machine gets the digest, one size at any fleet. `failed` sends it to `SnapshotsFailed`.
 */
export function createSummariseHandler({
  ec2,
  storageGateway,
  now,
  rpoTargetHours = () => DEFAULT_RPO_TARGET_HOURS,
  evidence,
  evidenceBucket,
  visibility,
}: SummariseDependencies) {
  return stepHandler(async (request: SummariseRequest): Promise<SummariseResult> => {
    const { options, execution, gatewayArns, mapFailure, waitFailure } = request;
    const run = runEvidence(evidence, evidenceBucket(), execution.id);
    const read = await mapConcurrently(gatewayArns, run.readGateway);
    const missing = gatewayArns.filter((_, i) => !read[i]);
    if (mapFailure) logger.warn('The gateway Map failed', { mapFailure, gatewaysWithoutEvidence: missing.length });
    // One query by the execution's tag, only when a gateway or a volume failed without naming a snapshot: a create
    // whose step failed after Storage Gateway made the snapshot still lists it. EC2 may not show a snapshot made
    // moments ago: the query is asked again, on EC2's one visibility backoff, until it shows one wherever a failed
    // child could have made one and, when a gateway wrote no evidence (which volumes it snapshotted is unknown),
    // until a look shows nothing the one before did not.
    const unnamed = missing.length > 0 || read.some((g) => g && failuresWithoutSnapshot(g).length > 0);
    const reported = read.filter((g): g is GatewayReport => g !== undefined);
    const lookUp = async () => (await findSnapshotsOfExecution(ec2, execution.id)).map(knownSnapshot);
    let before: ReadonlySet<string> | undefined;
    const settled = (made: readonly KnownSnapshot[]) => {
      const ids = new Set(made.map((s) => s.snapshotId));
      const nothingNew = missing.length === 0 || (before !== undefined && [...ids].every((id) => before?.has(id)));
      before = ids;
      return nothingNew && showsUnnamedSnapshots(made, missing, reported);
    };
    const madeByThisRun = unnamed ? await backOffUntilVisible(await lookUp(), lookUp, settled, visibility) : [];
    const cause = `its child execution ended without writing its evidence${mapFailure ? `: ${mapFailure.Error} ${readableCause(mapFailure.Cause)}` : ''}`;
    let gateways = read.map((gateway, i) =>
      gateway
        ? nameFailedSnapshots(gateway, madeByThisRun)
        : unreportedGateway(gatewayArns[i] ?? '', madeByThisRun, cause),
    );
    if (waitFailure && options.waitForCompletion) gateways = gateways.map((g) => abandonWait(g, waitFailure));
    const reportedAt = now();
    const built = buildReport({
      execution,
      dryRun: options.dryRun,
      options,
      gateways,
      gatewayNames: await gatewayNames(storageGateway),
      evidence: run.locations,
      reportedAt: new Date(reportedAt).toISOString(),
    });
    // Copies (issue 13): each volume's copies in the manifest, a copy that is not usable a failure.
    const copying = options.copies.length > 0 && !options.dryRun;
    const report = copying
      ? withCopies(built, await copyOutcomesOf(evidence, evidenceBucket(), execution, options, request))
      : built;
    const written = await run.writeReport(report);
    const failed = report.summary.failed > 0;
    logger.info('Execution summary', {
      ...report.summary,
      evidence: run.locations.prefix,
      bytes: written.reduce((sum, w) => sum + w.bytes, 0),
    });
    // The execution's figures, as the metrics (EMF, flushed by the step middleware) and `run --local` carry them.
    addMetricValues(metrics, metricValues(executionFigures(report, reportedAt, rpoTargetHours())));
    const digest = digestOf(report);
    return { digest, failed, cause: failed ? JSON.stringify(digest) : '' };
  });
}

/** Gateway names for the report; a report without names is still whole, so a failed lookup is only logged. */
async function gatewayNames(storageGateway: StorageGatewayClient): Promise<Map<string, string>> {
  try {
    const gateways = await listCachedGateways(storageGateway);
    return new Map(gateways.flatMap((g) => (g.gatewayName ? [[g.gatewayArn, g.gatewayName] as const] : [])));
  } catch (error) {
    logger.warn('Gateway names could not be listed; the report names gateways by ID', { error });
    return new Map();
  }
}

export const handler = createSummariseHandler({
  ec2: createEc2Client(),
  storageGateway: createStorageGatewayClient(),
  now: Date.now,
  rpoTargetHours: rpoTargetFromEnvironment(),
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
});
