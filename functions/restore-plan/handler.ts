import type { EC2Client } from '@aws-sdk/client-ec2';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { createEc2Client, createS3Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import type { VisibilityBackoff } from '../../src/aws/ec2-visibility.ts';
import { snapshotFactsOnceVisible } from '../../src/aws/restore-ebs.ts';
import { gatewayFacts } from '../../src/aws/restore-gateway.ts';
import { InvalidEvidenceError } from '../../src/errors.ts';
import type { EvidenceDependencies } from '../../src/evidence/config.ts';
import { locationOfUri } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore, type EvidenceStore } from '../../src/evidence/store.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { checkRestoreHistory } from '../../src/restore/limits.ts';
import { targetNameOf } from '../../src/restore/names.ts';
import { parseManifestDocument, parseRestoreInput } from '../../src/restore/parse.ts';
import { planItems, selectVolumes } from '../../src/restore/plan.ts';
import { preflightProblems } from '../../src/restore/preflight.ts';
import type { ManifestGatewayInput } from '../../src/restore/schema.ts';
import type { RestorePlan, RestorePlanRequest } from '../../src/restore/types.ts';

export interface RestorePlanDependencies extends Pick<EvidenceDependencies, 'evidence'> {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
  /** How long a snapshot EC2 does not show yet is waited for. @default EC2_VISIBILITY_DELAYS_MS, real sleeps */
  snapshotLag?: VisibilityBackoff;
}

/**
 * Validates the restore input (`InvalidInput` before any AWS call), reads the manifest, chooses the volumes and
 * runs the preflight: every problem is named here, before anything is created; the state machine stops on any. A
 * snapshot EC2 does not show yet (just made: EC2's eventual consistency) is waited for before it is named missing.
 */
export function createRestorePlanHandler({ storageGateway, ec2, evidence, snapshotLag }: RestorePlanDependencies) {
  return stepHandler(async ({ input, execution }: RestorePlanRequest): Promise<RestorePlan> => {
    const { manifest: inline, ...options } = parseRestoreInput(input);
    const manifest = inline ?? (await readManifest(evidence, options.manifestUri ?? ''));
    const { candidates, notRestorable } = selectVolumes(manifest, options);
    checkRestoreHistory(candidates.length, options.waitTimeoutMinutes, options.checkIntervalSeconds);
    const { target } = options;
    const [gateway, snapshots] = await Promise.all([
      'gateway' in target ? gatewayFacts(storageGateway, target.gateway.gatewayArn) : undefined,
      snapshotFactsOnceVisible(
        ec2,
        candidates.map((c) => c.snapshotId),
        snapshotLag,
      ),
    ]);
    const problems = preflightProblems(candidates, target, { ...(gateway ? { gateway } : {}), snapshots }, (c) =>
      targetNameOf(c.sourceVolumeArn, options.test),
    );
    const items = planItems(candidates, snapshots, execution.id, options.test);
    logger.info('Restore planned', {
      volumes: items.length,
      notRestorable: notRestorable.length,
      problems: problems.length,
    });
    return { options, execution, items, notRestorable, preflight: { ok: problems.length === 0, problems } };
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
  evidence: createEvidenceStore({ s3: createS3Client() }),
});
