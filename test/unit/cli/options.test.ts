import { DEFAULT_STATE_MACHINE, oneOf, STATE_MACHINE_VARIABLE, stateMachineOf } from '../../../src/cli/options.ts';
import { consoleLinkOf } from '../../../src/cli/sfn/console-link.ts';

describe('the state machine a command works on', () => {
  it.each([
    [{ stateMachine: 'mine', stage: 'prod' }, { [STATE_MACHINE_VARIABLE]: 'env' }, 'mine'],
    [{ stage: 'prod' }, { [STATE_MACHINE_VARIABLE]: 'env' }, 'sgw-recovery-snapshots-prod'],
    [{}, { [STATE_MACHINE_VARIABLE]: 'env' }, 'env'],
    [{}, {}, DEFAULT_STATE_MACHINE],
  ])('%j with %j is %s', (flags, env, expected) => {
    // Assess
    expect(stateMachineOf(flags, env)).toBe(expected);
  });
});

describe('enumerated flags', () => {
  it('take any case and name the choices when the value is none of them', () => {
    // Prepare
    const status = oneOf(['RUNNING', 'FAILED'] as const);

    // Assess
    expect(status('failed')).toBe('FAILED');
    expect(status('Running')).toBe('RUNNING');
    expect(() => status('fail')).toThrow('must be one of RUNNING, FAILED (any case)');
  });
});

describe('the console link of an execution', () => {
  it('points at the Step Functions console of its partition and Region', () => {
    // Prepare
    const arn = 'arn:aws:states:eu-west-1:111122223333:execution:sm:drill';

    // Assess
    expect(consoleLinkOf(arn)).toBe(
      `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${arn}`,
    );
    expect(consoleLinkOf('arn:aws-cn:states:cn-north-1:1:execution:sm:x')).toMatch(
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\//,
    );
    expect(consoleLinkOf('arn:aws-iso:states:us-iso-east-1:1:execution:sm:x')).toBeUndefined();
  });
});
