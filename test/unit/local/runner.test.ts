import { startLocalExecution } from '../../../src/local/runner.ts';
import type { AslDefinition } from '../../../src/statemachine/definition.ts';

// A workflow of one Wait state: the runner needs no more of a descriptor than where its ASL is and its name.
const WAITING = {
  workflow: { definitionUrl: new URL('file:///not-read.asl.json'), defaultStateMachineName: 'waiting' },
  handlers: {},
  input: {},
  realTime: true,
};

function waitFor(seconds: number, timeoutSeconds?: number): AslDefinition {
  return {
    StartAt: 'Hold',
    States: { Hold: { Type: 'Wait', Seconds: seconds, End: true } },
    ...(timeoutSeconds === undefined ? {} : { TimeoutSeconds: timeoutSeconds }),
  };
}

describe('startLocalExecution', () => {
  it('names the execution after the workflow’s state machine and ends ABORTED when aborted', async () => {
    // Prepare
    const execution = startLocalExecution({ ...WAITING, name: 'held', definition: waitFor(60) });

    // Act
    execution.abort();
    const result = await execution.result;

    // Assess
    expect(execution.executionArn).toBe('arn:aws:states:us-east-1:111122223333:execution:waiting:held');
    expect(result).toMatchObject({ status: 'ABORTED' });
    expect(result.error).toBeUndefined();
  });

  it('ends TIMED_OUT with States.Timeout when the state machine’s TimeoutSeconds pass', async () => {
    // Prepare
    const execution = startLocalExecution({ ...WAITING, definition: waitFor(60, 1) });

    // Act
    const result = await execution.result;

    // Assess
    expect(result).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });
});
