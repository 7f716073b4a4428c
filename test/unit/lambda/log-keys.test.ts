import { jest } from '@jest/globals';
import type { CheckSnapshotsRequest } from '../../../functions/check-snapshots/handler.ts';
import { stepLogKeys } from '../../../src/lambda/log-keys.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import type { CreateTask, GatewayIteration, GatewayTask, PlanRequest } from '../../../src/workflow/types.ts';
import { EXECUTION, GATEWAY_ARN, optionsOf, volumeArn } from '../../helpers/fixtures.ts';

const VOLUME = volumeArn('vol-1122AABB');
const options = optionsOf();
const plan: PlanRequest = { input: {}, execution: EXECUTION };
const gateway: GatewayTask = { gatewayArn: GATEWAY_ARN, options, execution: EXECUTION };
const create: CreateTask = {
  gatewayArn: GATEWAY_ARN,
  point: { volumeArn: VOLUME, recoveryPointTime: '2025-01-15T11:00:00.000Z', sizeBytes: 1_000 },
  options,
  execution: EXECUTION,
};
const iteration: GatewayIteration = { ...gateway, outcomes: [] };
const check: CheckSnapshotsRequest = { options, execution: EXECUTION, gatewayArns: [GATEWAY_ARN] };

// The shared logger takes its level from the environment once, when its module loads (and every invocation
// resets it to that level): this file loads its own copy with INFO, so the lines can be read.
let lambda: typeof import('../../../src/lambda/handler.ts');
beforeAll(async () => {
  const level = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  try {
    lambda = await import('../../../src/lambda/handler.ts');
  } finally {
    if (level === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = level;
  }
});

/** Runs `act` and returns the JSON lines it wrote to stdout. */
async function logLinesOf(act: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    write.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('stepLogKeys', () => {
  it.each([
    ['Plan', plan, { executionName: 'run-1' }],
    ['ListRecoveryPoints', gateway, { executionName: 'run-1', gatewayArn: GATEWAY_ARN }],
    ['CreateSnapshot', create, { executionName: 'run-1', gatewayArn: GATEWAY_ARN, volumeArn: VOLUME }],
    ['SummariseGateway', iteration, { executionName: 'run-1', gatewayArn: GATEWAY_ARN }],
    ['CheckSnapshots and Summarise', check, { executionName: 'run-1' }],
  ])('reads the keys of the %s payload', (_state, event, keys) => {
    // Act
    const read = stepLogKeys(event);

    // Assess
    expect(read).toEqual(keys);
  });

  it.each([undefined, null, 'run-1', 42, { execution: { name: 7 }, gatewayArn: ['x'], point: null }])(
    'reads no keys from %p',
    (event) => {
      // Act
      const read = stepLogKeys(event);

      // Assess
      expect(read).toEqual({});
    },
  );
});

describe('stepHandler log keys', () => {
  it("puts the event's execution, gateway and volume on every line the step writes", async () => {
    // Prepare
    const { logger, stepHandler } = lambda;
    const handler = stepHandler(async (_task: CreateTask) => {
      logger.info('first');
      logger.info('second');
    });

    // Act
    const lines = await logLinesOf(() => handler(create, localLambdaContext('createSnapshot', 10)));

    // Assess
    expect(lines.map((line) => line.message)).toEqual(['first', 'second']);
    for (const line of lines) {
      expect(line).toMatchObject({
        executionName: 'run-1',
        gatewayArn: GATEWAY_ARN,
        volumeArn: VOLUME,
        function_name: 'createSnapshot',
      });
    }
  });

  it.each([
    ['succeeded', async () => undefined],
    [
      'failed',
      async () => {
        throw new Error('gateway is offline');
      },
    ],
  ])('lets no key of an invocation that %s leak into the next one', async (_outcome, step) => {
    // Prepare
    const { logger, stepHandler } = lambda;
    const first = stepHandler(step);
    const next = stepHandler(async (_request: PlanRequest) => {
      logger.info('next');
    });

    // Act
    const lines = await logLinesOf(async () => {
      await first(create, localLambdaContext('createSnapshot', 10)).catch(() => undefined);
      await next(plan, localLambdaContext('plan', 10));
    });

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ message: 'next', executionName: 'run-1' });
    expect(lines[0]).not.toHaveProperty('gatewayArn');
    expect(lines[0]).not.toHaveProperty('volumeArn');
  });
});
