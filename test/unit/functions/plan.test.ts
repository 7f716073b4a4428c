import { ListGatewaysCommand, StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { createPlanHandler } from '../../../functions/plan/handler.ts';
import { INVALID_INPUT, TOO_MANY_GATEWAYS } from '../../../src/errors.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { MAX_GATEWAYS_PER_EXECUTION } from '../../../src/report/limits.ts';
import { EXECUTION, GATEWAY_ARN, OTHER_GATEWAY_ARN } from '../../helpers/fixtures.ts';
import { STORAGE_GATEWAY_ERRORS } from '../../helpers/sdk-errors.ts';

const storageGateway = mockClient(StorageGatewayClient);
const handler = createPlanHandler({ storageGateway: new StorageGatewayClient({ region: 'us-east-1' }) });
const context = () => localLambdaContext('plan', 120);

/** `count` distinct gateway ARNs of the account. */
function gatewayArns(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${GATEWAY_ARN.slice(0, -8)}${String(i).padStart(8, '0')}`);
}

beforeEach(() => {
  storageGateway.reset();
  storageGateway.on(ListGatewaysCommand).resolves({
    Gateways: [
      { GatewayARN: GATEWAY_ARN, GatewayType: 'CACHED' },
      { GatewayARN: OTHER_GATEWAY_ARN, GatewayType: 'STORED' },
    ],
  });
});
afterAll(() => storageGateway.restore());

describe('plan handler', () => {
  it('rejects a bad input with InvalidInput before any Storage Gateway call', async () => {
    // Act
    const act = handler({ input: { gatewayArns: ['sgw-12A3456B'] }, execution: EXECUTION }, context());

    // Assess
    await expect(act).rejects.toMatchObject({ name: INVALID_INPUT, field: 'gatewayArns[0]' });
    expect(storageGateway.calls()).toHaveLength(0);
  });

  it('rejects a typo even when the rest would discover every gateway', async () => {
    // Act
    const act = handler({ input: { dryrun: true }, execution: EXECUTION }, context());

    // Assess
    await expect(act).rejects.toMatchObject({ name: INVALID_INPUT, field: 'dryrun' });
    expect(storageGateway.calls()).toHaveLength(0);
  });

  it('discovers the cached gateways when the input names none', async () => {
    // Act
    const result = await handler({ input: {}, execution: EXECUTION }, context());

    // Assess
    expect(result).toEqual({ options: expect.any(Object), execution: EXECUTION, gatewayArns: [GATEWAY_ARN] });
    expect(result.options.dryRun).toBe(false);
    expect(storageGateway.commandCalls(ListGatewaysCommand)).toHaveLength(1);
  });

  it('plans 1,000 discovered gateways in one execution', async () => {
    // Prepare
    const fleet = gatewayArns(1_000);
    storageGateway.on(ListGatewaysCommand).resolves({
      Gateways: fleet.map((GatewayARN) => ({ GatewayARN, GatewayType: 'CACHED' })),
    });

    // Act
    const result = await handler({ input: {}, execution: EXECUTION }, context());

    // Assess
    expect(result.gatewayArns).toEqual(fleet);
  });

  it('refuses, before any snapshot, more discovered gateways than one execution can report on', async () => {
    // Prepare
    const many = gatewayArns(MAX_GATEWAYS_PER_EXECUTION + 1).map((GatewayARN) => ({
      GatewayARN,
      GatewayType: 'CACHED',
    }));
    storageGateway.on(ListGatewaysCommand).resolves({ Gateways: many });

    // Act
    const act = handler({ input: {}, execution: EXECUTION }, context());

    // Assess
    await expect(act).rejects.toMatchObject({
      name: TOO_MANY_GATEWAYS,
      message: expect.stringContaining('gatewayArns'),
    });
  });

  it('rejects more named gateways than one execution takes', async () => {
    // Prepare
    const many = gatewayArns(MAX_GATEWAYS_PER_EXECUTION + 1);

    // Act
    const act = handler({ input: { gatewayArns: many }, execution: EXECUTION }, context());

    // Assess
    await expect(act).rejects.toMatchObject({ name: INVALID_INPUT, field: 'gatewayArns' });
    expect(storageGateway.calls()).toHaveLength(0);
  });

  it('takes the named gateways as they are, without discovery', async () => {
    // Act
    const result = await handler(
      { input: { gatewayArns: [OTHER_GATEWAY_ARN, GATEWAY_ARN], dryRun: true }, execution: EXECUTION },
      context(),
    );

    // Assess
    expect(result.gatewayArns).toEqual([OTHER_GATEWAY_ARN, GATEWAY_ARN]);
    expect(result.options.dryRun).toBe(true);
    expect(storageGateway.calls()).toHaveLength(0);
  });

  it('hands on an account without cached gateways as an empty plan', async () => {
    // Prepare
    storageGateway.on(ListGatewaysCommand).resolves({ Gateways: [] });

    // Act
    const result = await handler({ input: {}, execution: EXECUTION }, context());

    // Assess
    expect(result.gatewayArns).toEqual([]);
  });

  it.each(Object.keys(STORAGE_GATEWAY_ERRORS))(
    'lets %s from ListGateways reach the state machine by name',
    async (name) => {
      // Prepare
      storageGateway.on(ListGatewaysCommand).rejects(STORAGE_GATEWAY_ERRORS[name]?.());

      // Act
      const act = handler({ input: {}, execution: EXECUTION }, context());

      // Assess
      await expect(act).rejects.toMatchObject({ name });
    },
  );
});
