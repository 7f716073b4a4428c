import type { EC2Client } from '@aws-sdk/client-ec2';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { createEc2Client, createKmsClient, createS3Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import type { VisibilityBackoff } from '../../src/aws/ec2-visibility.ts';
import { snapshotFactsOnceVisible } from '../../src/aws/restore-ebs.ts';
import { gatewayFacts } from '../../src/aws/restore-gateway.ts';
import { kmsKeyFacts } from '../../src/aws/restore-kms.ts';
import { InvalidEvidenceError } from '../../src/errors.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { locationOfUri, mapConcurrently, s3Uri } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore, type EvidenceStore } from '../../src/evidence/store.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { planBatches, volumesPerBatch } from '../../src/restore/batches.ts';
import { restoreEvidence } from '../../src/restore/evidence.ts';
import { checkRestoreHistory } from '../../src/restore/limits.ts';
import { targetNameOf } from '../../src/restore/names.ts';
import { parseManifestDocument, parseRestoreInput } from '../../src/restore/parse.ts';
import { planItems, selectVolumes } from '../../src/restore/plan.ts';
import { preflightProblems } from '../../src/restore/preflight.ts';
import type { ManifestGatewayInput } from '../../src/restore/schema.ts';
import {
  MAX_STATE_PROBLEMS,
  type RestoreBatch,
  type RestoreItem,
  type RestorePlan,
  type RestorePlanDocument,
  type RestorePlanRequest,
} from '../../src/restore/types.ts';

export interface RestorePlanDependencies extends EvidenceDependencies {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
  /** How long a snapshot EC2 does not show yet is waited for. @default EC2_VISIBILITY_DELAYS_MS, real sleeps */
  snapshotLag?: VisibilityBackoff;
  /** KMS, to learn whether the snapshots' keys can be used. @default a KMS client */
  kms?: KMSClient;
}

/**
 * Validates the restore input (`InvalidInput` before any AWS call), reads the manifest, chooses the volumes and
 * runs the preflight: every problem is named here, before anything is created; the state machine stops on any. A
 * snapshot EC2 does not show yet (just made: EC2's eventual consistency) is waited for before it is named missing.
 * The whole plan and each batch's items go to the evidence; the state keeps only their counts and where they are,
 * so a whole fleet's restore fits Step Functions' limits.
 */
export function createRestorePlanHandler({
  storageGateway,
  ec2,
  evidence,
  evidenceBucket,
  snapshotLag,
  kms = createKmsClient(),
}: RestorePlanDependencies) {
  return stepHandler(async ({ input, execution }: RestorePlanRequest): Promise<RestorePlan> => {
    const { manifest: inline, ...parsed } = parseRestoreInput(input);
    const manifest = inline ?? (await readManifest(evidence, parsed.manifestUri ?? ''));
    const { candidates, notRestorable } = selectVolumes(manifest, parsed);
    const perBatch = volumesPerBatch(parsed.waitTimeoutMinutes, parsed.checkIntervalSeconds);
    // Not even one volume's polls fit a child execution's history: refused, naming the field.
    if (candidates.length && perBatch < 1)
      checkRestoreHistory(1, parsed.waitTimeoutMinutes, parsed.checkIntervalSeconds);
    // The selection has done its work here; every later state carries the options, so they stay small.
    const { volumeArns: _volumes, gatewayArns: _gateways, ...options } = parsed;
    const { target } = options;
    const [gateway, snapshots] = await Promise.all([
      'gateway' in target ? gatewayFacts(storageGateway, target.gateway.gatewayArn) : undefined,
      snapshotFactsOnceVisible(
        ec2,
        candidates.map((c) => c.snapshotId),
        snapshotLag,
      ),
    ]);
    // Once per distinct key the chosen snapshots are encrypted with: a fleet's snapshots share one or a few.
    const keys = await kmsKeyFacts(
      kms,
      candidates.flatMap((c) => snapshots[c.snapshotId]?.kmsKeyId ?? []),
    );
    const problems = preflightProblems(candidates, target, { ...(gateway ? { gateway } : {}), snapshots, keys }, (c) =>
      targetNameOf(c.sourceVolumeArn, options.test),
    );
    const items = planItems(candidates, snapshots, execution.id, options.test);
    const where = restoreEvidence(evidenceBucket(), execution.id);
    const { sizes, batchConcurrency, volumeConcurrency } = planBatches(items.length, perBatch, options.maxConcurrency);
    const batches = await writeBatches(evidence, where, items, sizes);
    await evidence.putJson(where.plan, { items, notRestorable, problems } satisfies RestorePlanDocument);
    logger.info('Restore planned', {
      volumes: items.length,
      batches: batches.length,
      notRestorable: notRestorable.length,
      problems: problems.length,
    });
    return {
      options,
      execution,
      volumes: items.length,
      notRestorable: notRestorable.length,
      batches,
      batchConcurrency,
      volumeConcurrency,
      preflight: {
        ok: problems.length === 0,
        problems: problems.slice(0, MAX_STATE_PROBLEMS),
        problemCount: problems.length,
      },
      planUri: s3Uri(where.plan),
    };
  });
}

/** Writes each batch's items, in the plan's order, to its own object; returns the batches. */
async function writeBatches(
  evidence: EvidenceStore,
  where: ReturnType<typeof restoreEvidence>,
  items: readonly RestoreItem[],
  sizes: readonly number[],
): Promise<RestoreBatch[]> {
  let start = 0;
  const cuts = sizes.map((volumes, index) => {
    const cut = { index, volumes, items: items.slice(start, start + volumes) };
    start += volumes;
    return cut;
  });
  return mapConcurrently(cuts, async ({ index, volumes, items: batchItems }) => {
    const location = where.batchItems(index);
    await evidence.putJson(location, batchItems);
    return { index, volumes, itemsUri: s3Uri(location) };
  });
}

/** The manifest at an `s3://` URI: an execution's `manifest.json` or `report.json`. */
async function readManifest(evidence: EvidenceStore, uri: string): Promise<ManifestGatewayInput[]> {
  const location = locationOfUri(uri);
  if (!location) throw new InvalidEvidenceError(`${uri} is not an s3:// URI`);
  let value: unknown;
  try {
    value = await evidence.getJson(location);
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'NoSuchKey' || name === 'NoSuchBucket') {
      throw new InvalidEvidenceError(`the manifest ${uri} does not exist (${name})`, { cause: error });
    }
    throw error;
  }
  return parseManifestDocument(value, uri);
}

export const handler = createRestorePlanHandler({
  storageGateway: createStorageGatewayClient(),
  ec2: createEc2Client(),
  kms: createKmsClient(),
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
});
