import { logger, stepHandler } from '../../src/lambda/handler.ts';
import { GATEWAY_RESULTS_BUDGET_BYTES } from '../../src/report/limits.ts';
import { type GatewayResult, summariseGateway } from '../../src/report/gateway-result.ts';
import type { GatewayIteration } from '../../src/workflow/types.ts';

/** Folds one gateway's iteration into its compact result, within its share of the payload budget. */
export const handler = stepHandler(async (iteration: GatewayIteration): Promise<GatewayResult> => {
  const result = summariseGateway(
    iteration,
    Math.floor(GATEWAY_RESULTS_BUDGET_BYTES / Math.max(1, iteration.gatewayCount)),
  );
  logger.info('Gateway done', { ...result.counts, omitted: result.omitted });
  return result;
});
