import type { EC2Client } from '@aws-sdk/client-ec2';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import type { Context } from 'aws-lambda';
import { createCheckSnapshotsHandler } from '../../functions/check-snapshots/handler.ts';
import { createCreateSnapshotHandler } from '../../functions/create-snapshot/handler.ts';
import { createListRecoveryPointsHandler } from '../../functions/list-recovery-points/handler.ts';
import { createPlanHandler } from '../../functions/plan/handler.ts';
import { handler as summarise } from '../../functions/summarise/handler.ts';
import { handler as summariseGateway } from '../../functions/summarise-gateway/handler.ts';

/** A Lambda handler as the local engine calls it. */
export type StepHandler = (event: never, context: Context) => Promise<unknown>;

export interface StepHandlerDependencies {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
  now: () => number;
}

/** The real handler of every function the ASL names, keyed by function key, wired to the given clients. */
export function createStepHandlers(deps: StepHandlerDependencies): Record<string, StepHandler> {
  return {
    plan: createPlanHandler(deps),
    listRecoveryPoints: createListRecoveryPointsHandler(deps),
    createSnapshot: createCreateSnapshotHandler(deps),
    summariseGateway,
    checkSnapshots: createCheckSnapshotsHandler(deps),
    summarise,
  };
}
