import type { EC2Client } from '@aws-sdk/client-ec2';
import { createEc2Client } from '../../src/aws/clients.ts';
import { describeSnapshotsById, findSnapshotsOfExecution } from '../../src/aws/ec2.ts';
import type { ExecutionOptions } from '../../src/input/schema.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { GATEWAY_RESULTS_BUDGET_BYTES } from '../../src/report/limits.ts';
import { applySnapshotStates } from '../../src/report/completion.ts';
import { fitGatewayResult, type GatewayResult } from '../../src/report/gateway-result.ts';
import type { ExecutionRef } from '../../src/workflow/types.ts';

export interface CheckSnapshotsRequest {
  options: ExecutionOptions;
  execution: ExecutionRef;
  gateways: GatewayResult[];
}

export interface CheckSnapshotsResult extends CheckSnapshotsRequest {
  /** Snapshots neither `completed` nor `error` yet; the state machine waits and checks again while > 0. */
  pending: number;
}

export interface CheckSnapshotsDependencies {
  ec2: EC2Client;
  now: () => number;
}

/** One poll of the snapshots' states; the waiting itself is a Wait state, never a sleeping Lambda. */
export function createCheckSnapshotsHandler({ ec2, now }: CheckSnapshotsDependencies) {
  return stepHandler(async ({ options, execution, gateways }: CheckSnapshotsRequest): Promise<CheckSnapshotsResult> => {
    const unsettled = gateways.flatMap((g) =>
      g.snapshots.filter((s) => s.snapshotId && s.state !== 'completed').map((s) => s.snapshotId ?? ''),
    );
    const states = unsettled.length ? await describeSnapshotsById(ec2, unsettled) : [];
    if (gateways.some((g) => g.omitted?.snapshots)) states.push(...(await findSnapshotsOfExecution(ec2, execution.id)));
    const deadline = Date.parse(execution.startTime) + options.completionTimeoutMinutes * 60_000;
    const check = applySnapshotStates(gateways, states, now() >= deadline);
    const budget = Math.floor(GATEWAY_RESULTS_BUDGET_BYTES / Math.max(1, gateways.length));
    logger.info('Checked snapshots', { checked: states.length, pending: check.pending });
    return {
      options,
      execution,
      gateways: check.gateways.map((g) => fitGatewayResult(g, budget)),
      pending: check.pending,
    };
  });
}

export const handler = createCheckSnapshotsHandler({ ec2: createEc2Client(), now: Date.now });
