import type { LocalExecution, LocalExecutionResult } from '../../../src/local/runner.ts';
import type { SfnApiError } from '../../../src/local/sfn-endpoint/errors.ts';
import { ExecutionStore, REDRIVE_PERIOD_MS } from '../../../src/local/sfn-endpoint/executions.ts';

const MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:sm';

/** A store whose executions end as `outcomes` say, one after another, on a clock the test moves. */
function storeEnding(outcomes: Array<LocalExecutionResult['status']>) {
  let now = Date.parse('2025-01-15T12:00:00Z');
  const starts: Array<{ name?: string; executionArn?: string }> = [];
  const store = new ExecutionStore({
    stateMachineArn: MACHINE,
    roleArn: 'arn:aws:iam::111122223333:role/r',
    facts: { task: () => undefined, itemCount: () => undefined },
    now: () => new Date(now),
    start: (run): LocalExecution => {
      starts.push(run);
      const name = run.name ?? 'n';
      const executionArn = run.executionArn ?? `${MACHINE.replace(':stateMachine:', ':execution:')}:${name}`;
      const status = outcomes.shift() ?? 'SUCCEEDED';
      const startDate = new Date(now);
      const result = Promise.resolve({
        executionArn,
        name,
        status,
        startDate,
        stopDate: startDate,
        historyEventCount: 2,
        ...(status === 'SUCCEEDED' ? { output: {} } : { error: 'SnapshotsFailed', cause: '{}' }),
      });
      return { executionArn, name, startDate, result, abort: () => undefined };
    },
  });
  return { store, starts, advance: (ms: number) => (now += ms) };
}

function refusal(act: () => unknown): SfnApiError | undefined {
  try {
    act();
  } catch (error) {
    return error as SfnApiError;
  }
  return undefined;
}

describe('RedriveExecution on the local endpoint', () => {
  it('runs a failed execution again under its ARN, counting the redrive in its description and history', async () => {
    // Prepare
    const { store, starts } = storeEnding(['FAILED', 'SUCCEEDED']);
    const record = store.start({ name: 'drill', input: '{"dryRun":false}' });
    await new Promise((resolve) => setImmediate(resolve));

    // Act
    const failed = { ...record };
    store.redrive(record.executionArn);
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(failed.status).toBe('FAILED');
    expect(starts[1]).toEqual(
      expect.objectContaining({ name: 'drill', executionArn: record.executionArn, input: { dryRun: false } }),
    );
    expect(record.status).toBe('SUCCEEDED');
    expect(record.redriveCount).toBe(1);
    expect(record.error).toBeUndefined();
    expect(record.history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'ExecutionFailed',
      'ExecutionRedriven',
      'ExecutionSucceeded',
    ]);
  });

  it('refuses running and succeeded executions, and any past the 14-day redrive period', async () => {
    // Prepare
    const { store, advance } = storeEnding(['SUCCEEDED', 'FAILED']);
    const succeeded = store.start({ name: 'ok' });
    await new Promise((resolve) => setImmediate(resolve));
    const failed = store.start({ name: 'old' });
    await new Promise((resolve) => setImmediate(resolve));
    advance(REDRIVE_PERIOD_MS + 1);

    // Act
    const refusals = [
      refusal(() => store.redrive(succeeded.executionArn)),
      refusal(() => store.redrive(failed.executionArn)),
      refusal(() => store.redrive(`${failed.executionArn}-nope`)),
    ];

    // Assess
    expect(refusals.map((e) => e?.name)).toEqual([
      'ExecutionNotRedrivable',
      'ExecutionNotRedrivable',
      'ExecutionDoesNotExist',
    ]);
    expect(refusals[0]?.message).toContain('Execution is SUCCEEDED and cannot be redriven');
    expect(refusals[1]?.message).toContain('Execution redrivable period exceeded');
  });
});
