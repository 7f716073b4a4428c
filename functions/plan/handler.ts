import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { createStorageGatewayClient } from '../../src/aws/clients.ts';
import { listCachedGatewayArns } from '../../src/aws/storage-gateway.ts';
import { TooManyGatewaysError } from '../../src/errors.ts';
import { scopeOfExecutionArn } from '../../src/input/execution-scope.ts';
import { checkPlannedStateSize } from '../../src/input/limits.ts';
import { assertVolumesInGateways, parseExecutionInput } from '../../src/input/parse.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { MAX_GATEWAYS_PER_EXECUTION } from '../../src/report/limits.ts';
import type { PlanRequest, PlanResult } from '../../src/workflow/types.ts';

export interface PlanDependencies {
  storageGateway: StorageGatewayClient;
}

/**
 * Validates the execution input (`InvalidInput` before any AWS call), finds the gateways to work on, and refuses
 * (`InvalidInput`) a plan whose state would not fit Step Functions' payload limit.
 */
export function createPlanHandler({ storageGateway }: PlanDependencies) {
  return stepHandler(async ({ input, execution }: PlanRequest): Promise<PlanResult> => {
    const options = parseExecutionInput(input, scopeOfExecutionArn(execution.id));
    const gatewayArns = options.gatewayArns ?? (await listCachedGatewayArns(storageGateway));
    assertVolumesInGateways(options, gatewayArns);
    if (gatewayArns.length > MAX_GATEWAYS_PER_EXECUTION) {
      // Before any snapshot: past this, the list of gateways would outgrow the state machine's payload limit.
      throw new TooManyGatewaysError(
        `Found ${gatewayArns.length} cached gateways; one execution takes at most ${MAX_GATEWAYS_PER_EXECUTION}. ` +
          'Start several executions, each with its own gatewayArns.',
      );
    }
    const planned = { options, execution, gatewayArns };
    checkPlannedStateSize(planned);
    logger.info('Planned', { gateways: gatewayArns.length, discovered: !options.gatewayArns, dryRun: options.dryRun });
    return planned;
  });
}

export const handler = createPlanHandler({ storageGateway: createStorageGatewayClient() });
