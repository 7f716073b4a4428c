import type { EC2Client } from '@aws-sdk/client-ec2';
import { createEc2Client, createS3Client } from '../../src/aws/clients.ts';
import { describeSnapshotsById, findSnapshotsOfExecution } from '../../src/aws/ec2.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { mapConcurrently, runEvidence } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import type { ExecutionOptions } from '../../src/input/schema.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { applySnapshotStates, type SnapshotState, unsettledSnapshotIds } from '../../src/report/completion.ts';
import type { GatewayReport } from '../../src/report/gateway-report.ts';
import type { ExecutionRef } from '../../src/workflow/types.ts';

export interface CheckSnapshotsRequest {
  options: ExecutionOptions;
  execution: ExecutionRef;
  gatewayArns: string[];
}

export interface CheckSnapshotsResult {
  /** Snapshots neither `completed` nor `error` yet; the state machine waits and checks again while > 0. */
  pending: number;
  /** Snapshots `completed` so far: with `pending`, what the CLI narrates of the wait. */
  completed: number;
  /** Snapshots that became failures at this poll, by status: the CLI's live figures move them to `failed`. */
  failed: { created: number; existing: number };
  /** The lowest progress, in percent, of the pending snapshots, when EC2 gave one. */
  oldestPendingProgress?: number;
}

export interface CheckSnapshotsDependencies extends EvidenceDependencies {
  ec2: EC2Client;
  now: () => number;
}

/**
 * One poll of the snapshots' states; the waiting itself is a Wait state, never a sleeping Lambda. Each gateway's
 * evidence is read, brought up to date and rewritten when it changed; only a count goes back to the state machine.
 */
export function createCheckSnapshotsHandler({ ec2, now, evidence, evidenceBucket }: CheckSnapshotsDependencies) {
  return stepHandler(
    async ({ options, execution, gatewayArns }: CheckSnapshotsRequest): Promise<CheckSnapshotsResult> => {
      const run = runEvidence(evidence, evidenceBucket(), execution.id);
      const gateways = (await mapConcurrently(gatewayArns, run.readGateway)).filter((g) => g !== undefined);
      const states = await snapshotStates(ec2, execution, gateways);
      const timedOut = now() >= Date.parse(execution.startTime) + options.completionTimeoutMinutes * 60_000;
      const checks = gateways.map((gateway) => applySnapshotStates(gateway, states, timedOut));
      await mapConcurrently(
        checks.filter((check) => check.changed),
        (check) => run.writeGateway(check.gateway),
      );
      const pending = checks.reduce((sum, check) => sum + check.pending, 0);
      const completed = checks.reduce((sum, check) => sum + check.completed, 0);
      const failed = {
        created: checks.reduce((sum, check) => sum + check.failed.created, 0),
        existing: checks.reduce((sum, check) => sum + check.failed.existing, 0),
      };
      const progress = checks.flatMap((check) => check.lowestPendingProgress ?? []);
      logger.info('Checked snapshots', { checked: states.size, pending, timedOut });
      return {
        pending,
        completed,
        failed,
        ...(progress.length ? { oldestPendingProgress: Math.min(...progress) } : {}),
      };
    },
  );
}

/**
 * The states of the gateways' unsettled snapshots: the ones this run made come from one query by the execution's
 * tag (pages of 1,000, however many gateways); only snapshots made before it are asked for by ID. A just-made
 * snapshot that EC2 does not show yet simply stays pending until the next poll.
 */
async function snapshotStates(
  ec2: EC2Client,
  execution: ExecutionRef,
  gateways: readonly GatewayReport[],
): Promise<Map<string, SnapshotState>> {
  const unsettled = new Set(gateways.flatMap(unsettledSnapshotIds));
  if (!unsettled.size) return new Map();
  const states = new Map((await findSnapshotsOfExecution(ec2, execution.id)).map((s) => [s.snapshotId, s]));
  const existing = gateways.flatMap((g) =>
    g.snapshots.flatMap((s) =>
      s.status === 'existing' && s.snapshotId && unsettled.has(s.snapshotId) && !states.has(s.snapshotId)
        ? [s.snapshotId]
        : [],
    ),
  );
  if (existing.length) for (const s of await describeSnapshotsById(ec2, existing)) states.set(s.snapshotId, s);
  return states;
}

export const handler = createCheckSnapshotsHandler({
  ec2: createEc2Client(),
  now: Date.now,
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
});
