import { handler } from '../../../functions/summarise-gateway/handler.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { GATEWAY_RESULTS_BUDGET_BYTES } from '../../../src/report/limits.ts';
import { volumeArn } from '../fixtures.ts';
import { bytes, failed, iteration, TIME, volumeIds } from '../report/helpers.ts';

const context = () => localLambdaContext('summariseGateway', 60);

/** A 32-volume gateway whose every CreateSnapshot failed with its own long cause. */
function allFailed(gatewayCount: number) {
  const ids = volumeIds(32);
  return {
    ids,
    event: iteration({
      gatewayCount,
      listed: {
        recoveryPoints: 32,
        selected: ids.map((id) => ({ volumeArn: volumeArn(id), recoveryPointTime: TIME, sizeBytes: 1_000 })),
        skipped: [],
        failures: [],
      },
      outcomes: ids.map((id, i) => failed(id, 'InternalServerError', `attempt ${i}: ${'stack frame '.repeat(200)}`)),
    }),
  };
}

describe('summarise-gateway handler', () => {
  it('keeps the whole detail of a gateway that has the budget to itself', async () => {
    // Prepare
    const { ids, event } = allFailed(1);

    // Act
    const result = await handler(event, context());

    // Assess
    expect(result.failures).toHaveLength(32);
    expect(result.failures.flatMap((f) => f.volumeIds)).toEqual(ids);
    expect(result.failures[0]?.cause.length).toBeGreaterThan(200);
  });

  it("fits each gateway into its share of the results' budget, keeping every failed volume", async () => {
    // Prepare
    const gatewayCount = 100;
    const { ids, event } = allFailed(gatewayCount);

    // Act
    const result = await handler(event, context());

    // Assess
    expect(bytes(result)).toBeLessThanOrEqual(Math.floor(GATEWAY_RESULTS_BUDGET_BYTES / gatewayCount));
    expect(result.failures.flatMap((f) => f.volumeIds).sort()).toEqual(ids);
    expect(result.counts.failed).toBe(32);
  });
});
