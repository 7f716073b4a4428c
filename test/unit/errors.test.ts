import { readdirSync, readFileSync } from 'node:fs';
import {
  AwsUnreachableError,
  ExecutionNameTakenError,
  ExecutionNotFoundError,
  ExitCode,
  INVALID_FLEET,
  INVALID_INPUT,
  InvalidFleetError,
  InvalidInputError,
  PermissionDeniedError,
  SgwSnapshotError,
  StateMachineNotFoundError,
  StepFunctionsRejectedError,
  TOO_MANY_GATEWAYS,
  TooManyGatewaysError,
  UsageError,
} from '../../src/errors.ts';

const cause = new Error('what went wrong underneath');
const options = { cause };

// Every error of ours, as its raiser builds it, with the name the ASL and the CLI know it by.
const ERRORS: ReadonlyArray<[error: SgwSnapshotError, name: string, exitCode: ExitCode]> = [
  [new InvalidInputError('policy.minAgeMinutes', 'must be a number', options), INVALID_INPUT, ExitCode.Failed],
  [new TooManyGatewaysError('101 gateways', options), TOO_MANY_GATEWAYS, ExitCode.Failed],
  [new InvalidFleetError('fleet.json: not JSON', options), INVALID_FLEET, ExitCode.Usage],
  [new UsageError('--input: not valid JSON', options), 'UsageError', ExitCode.Usage],
  [new AwsUnreachableError('StartExecution', 'could not reach', options), 'AwsUnreachable', ExitCode.Unreachable],
  [new PermissionDeniedError('ListExecutions', 'refused', options), 'AwsUnreachable', ExitCode.Unreachable],
  [new StateMachineNotFoundError('ListStateMachines', 'none', options), 'StateMachineNotFound', ExitCode.Usage],
  [new ExecutionNotFoundError('DescribeExecution', 'none', options), 'ExecutionNotFound', ExitCode.Usage],
  [new ExecutionNameTakenError('StartExecution', 'taken', options), 'ExecutionNameTaken', ExitCode.Usage],
  [new StepFunctionsRejectedError('StartExecution', 'throttled', options), 'StepFunctionsRejected', ExitCode.Failed],
];

/** Every `ErrorEquals` of every `Retry` block in the state machines, nested states included. */
function retriedErrorNames(): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Retry' && Array.isArray(value)) {
        for (const retrier of value as Array<{ ErrorEquals: string[] }>)
          for (const n of retrier.ErrorEquals) names.add(n);
      }
      walk(value);
    }
  };
  const dir = new URL('../../statemachines/', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.asl.json'))) {
    walk(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
  }
  return names;
}

describe('the error contract', () => {
  it.each(ERRORS.map(([error, name, exitCode]) => [error.constructor.name, error, name, exitCode] as const))(
    '%s is one of ours, named for the ASL, keeps its cause and carries its exit code',
    (_, error, name, exitCode) => {
      // Assess
      expect(error).toBeInstanceOf(SgwSnapshotError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.cause).toBe(cause);
      expect(error.exitCode).toBe(exitCode);
      expect(error.retryable).toBe(false);
    },
  );

  it('a missing permission is told apart from the rest of AwsUnreachable by class, not by name', () => {
    // Act
    const denied = new PermissionDeniedError('GetExecutionHistory', 'refused');

    // Assess
    expect(denied).toBeInstanceOf(AwsUnreachableError);
    expect(new AwsUnreachableError('GetExecutionHistory', 'no network')).not.toBeInstanceOf(PermissionDeniedError);
    expect(denied.permission).toBe('states:GetExecutionHistory');
  });

  it('the state machines retry no error of ours that is not retryable', () => {
    // Prepare
    const retried = retriedErrorNames();

    // Act
    const wronglyRetried = ERRORS.filter(([error]) => !error.retryable && retried.has(error.name));

    // Assess
    expect(retried.size).toBeGreaterThan(0);
    expect(wronglyRetried.map(([error]) => error.name)).toEqual([]);
  });
});
