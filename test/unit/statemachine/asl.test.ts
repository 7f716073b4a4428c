import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import aslValidator from 'asl-validator';
import { IDEMPOTENCY_ALREADY_IN_PROGRESS, IDEMPOTENCY_ITEM_NOT_FOUND } from '../../../src/create-once/idempotent.ts';
import {
  INVALID_INPUT,
  LAMBDA_SERVICE_ERRORS,
  RESTORE_FAILED,
  SNAPSHOTS_FAILED,
  TRANSIENT_AWS_ERRORS,
  TRANSIENT_NETWORK_ERROR,
} from '../../../src/errors.ts';
import {
  type AslDefinition,
  type AslState,
  allStates,
  loadDefinition,
  resolveFunctionArns,
  taskFunctions,
} from '../../../src/statemachine/definition.ts';
import { restoreWorkflow } from '../../../src/workflow/restore.ts';
import { snapshotWorkflow } from '../../../src/workflow/snapshot.ts';
import { optionsOf } from '../../helpers/fixtures.ts';

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxAttempts?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}

interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
}

const DEFINITION_URL = snapshotWorkflow.definitionUrl;
const definition = loadDefinition(DEFINITION_URL);
const functionArn = (key: string) => `arn:aws:lambda:us-east-1:111122223333:function:sgw-recovery-snapshots-${key}`;

const states = allStates(definition);
const tasks = taskFunctions(definition);

function state(name: string): AslState {
  const found = states.get(name);
  if (!found) throw new Error(`no state ${name}`);
  return found;
}

/** `functions/<kebab-case>/handler.ts` of a function key such as `listRecoveryPoints`. */
function handlerUrl(functionKey: string): URL {
  const dir = functionKey.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return new URL(`../../../functions/${dir}/handler.ts`, import.meta.url);
}

/** Whether a function's handler makes AWS calls, judged by whether it creates an SDK client. */
function callsAws(functionKey: string): boolean {
  return /create(StorageGateway|Ec2|S3)Client\(/.test(readFileSync(handlerUrl(functionKey), 'utf8'));
}

/**
 * The Lambda-service retrier, written out in every Lambda Task because ASL cannot share one: this is the
 * copy every Task's must equal.
 */
const LAMBDA_SERVICE_RETRIER: Retrier = {
  ErrorEquals: [...LAMBDA_SERVICE_ERRORS],
  IntervalSeconds: 1,
  BackoffRate: 2,
  MaxAttempts: 3,
  MaxDelaySeconds: 20,
  JitterStrategy: 'FULL',
};

/** The transient-error retrier of every Task whose function calls AWS, likewise written out in each. */
const TRANSIENT_AWS_RETRIER: Retrier = {
  ErrorEquals: [...TRANSIENT_AWS_ERRORS],
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxAttempts: 6,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};

/**
 * CreateSnapshot's own retrier: a second execution creating the same recovery point waits for the first
 * (or, when the first failed and freed the point between the second's write and read, tries again).
 * Its waits must outlast the create function's 50 s timeout, when the first one's claim lapses: 2+4+8+16+30×8 s
 * at most, half that on average under full jitter (135 s).
 */
const IN_PROGRESS_RETRIER: Retrier = {
  ErrorEquals: [IDEMPOTENCY_ALREADY_IN_PROGRESS, IDEMPOTENCY_ITEM_NOT_FOUND],
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxAttempts: 12,
  MaxDelaySeconds: 30,
  JitterStrategy: 'FULL',
};

/**
 * The `Retry` a Task must have: the transient-error retrier when its function calls AWS, CreateSnapshot's
 * in-progress retrier, then the Lambda one.
 */
function sharedRetry(functionKey: string): Retrier[] {
  const own = functionKey === 'createSnapshot' ? [IN_PROGRESS_RETRIER] : [];
  return callsAws(functionKey)
    ? [TRANSIENT_AWS_RETRIER, ...own, LAMBDA_SERVICE_RETRIER]
    : [...own, LAMBDA_SERVICE_RETRIER];
}

/** The Tasks of a definition whose `Retry` is not exactly the shared retriers of their kind. */
function driftedTasks(asl: AslDefinition): string[] {
  const byName = allStates(asl);
  // Through JSON, so that only values count, not which realm (jest's or Node's) made the arrays.
  const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));
  return [...taskFunctions(asl)]
    .filter(([name, key]) => !isDeepStrictEqual(plain(byName.get(name)?.Retry), sharedRetry(key)))
    .map(([name]) => name);
}

/** The value at a simple JSONPath (`$.a.b`) of an object. */
function at(path: string, value: unknown): unknown {
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      value,
    );
}

describe('the state machine definition', () => {
  it('is valid ASL once each Fn::GetAtt is resolved to a function ARN', () => {
    // Prepare
    const resolved = resolveFunctionArns(definition, functionArn);

    // Act
    const result = aslValidator(resolved);

    // Assess
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
    expect(JSON.stringify(resolved)).not.toContain('Fn::GetAtt');
    expect([...taskFunctions(resolved).keys()]).toEqual([]);
  });

  it('would be rejected with a transition to a state that does not exist, so the check above has teeth', () => {
    // Prepare
    const broken = resolveFunctionArns(definition, functionArn);
    const plan = broken.States.Plan;
    if (plan) plan.Next = 'NoSuchState';

    // Act
    const result = aslValidator(broken);

    // Assess
    expect(result.isValid).toBe(false);
  });

  it('invokes a function with a handler for each of its Lambda tasks', () => {
    // Act
    const keys = [...new Set(tasks.values())];

    // Assess
    expect([...tasks.keys()].sort()).toEqual(
      [...states]
        .filter(([, s]) => s.Type === 'Task')
        .map(([name]) => name)
        .sort(),
    );
    expect(keys).toEqual(
      expect.arrayContaining(['plan', 'listRecoveryPoints', 'createSnapshot', 'summariseGateway', 'summarise']),
    );
    for (const key of keys) expect(existsSync(handlerUrl(key))).toBe(true);
  });

  it('is plain JSON for CloudFormation: no short-form !GetAtt, no JSONata', () => {
    // Prepare
    const text = readFileSync(DEFINITION_URL, 'utf8');

    // Act
    const languages = [definition, ...states.values()].map((s) => s.QueryLanguage).filter((l) => l !== undefined);

    // Assess
    expect(text).not.toContain('!GetAtt');
    expect(text).not.toMatch(/\$\{[A-Za-z]+Arn\}/);
    expect(languages.every((l) => l === 'JSONPath')).toBe(true);
    expect(text).not.toContain('{%');
  });

  it('gives every Task a timeout', () => {
    // Act
    const withoutTimeout = [...states].filter(([, s]) => s.Type === 'Task' && typeof s.TimeoutSeconds !== 'number');

    // Assess
    expect([...states.values()].some((s) => s.Type === 'Task')).toBe(true);
    expect(withoutTimeout.map(([name]) => name)).toEqual([]);
  });

  describe.each([...tasks])('Task %s (function %s)', (name, _functionKey) => {
    const retry = (state(name).Retry ?? []) as Retrier[];

    it('retries the errors of the Lambda service', () => {
      // Act
      const matched = LAMBDA_SERVICE_ERRORS.filter((error) => retry.some((r) => r.ErrorEquals.includes(error)));

      // Assess
      expect(matched).toEqual([...LAMBDA_SERVICE_ERRORS]);
    });

    it('backs off with full jitter up to a maximum delay', () => {
      // Assess
      expect(retry.length).toBeGreaterThan(0);
      for (const retrier of retry) {
        expect(retrier.BackoffRate).toBeGreaterThan(1);
        expect(retrier.MaxDelaySeconds).toEqual(expect.any(Number));
        expect(retrier.JitterStrategy).toBe('FULL');
        expect(retrier.MaxAttempts).toBeGreaterThan(0);
      }
    });

    it('never retries a rejected input or every error', () => {
      // Act
      const names = retry.flatMap((r) => r.ErrorEquals);

      // Assess
      expect(names).not.toContain(INVALID_INPUT);
      expect(names).not.toContain('States.ALL');
    });
  });

  describe.each([...tasks].filter(([, key]) => callsAws(key)))('Task %s, whose function %s calls AWS', (name) => {
    it('retries every transient AWS error with backoff', () => {
      // Prepare
      const retry = (state(name).Retry ?? []) as Retrier[];

      // Act
      const unretried = TRANSIENT_AWS_ERRORS.filter((error) => !retry.some((r) => r.ErrorEquals.includes(error)));

      // Assess
      expect(unretried).toEqual([]);
    });

    it('retries a call that got no readable answer, under the one name the Lambda middleware gives it', () => {
      // Prepare
      const retry = (state(name).Retry ?? []) as Retrier[];

      // Act
      const retrier = retry.find((r) => r.ErrorEquals.includes(TRANSIENT_NETWORK_ERROR));

      // Assess
      expect(retrier).toEqual(TRANSIENT_AWS_RETRIER);
    });
  });

  it('retries every Lambda service exception Step Functions recommends retrying, and throttled invocations', () => {
    // Assess: "Handle transient Lambda service exceptions" in the Step Functions best practices.
    expect([...LAMBDA_SERVICE_ERRORS].sort()).toEqual(
      [
        'Lambda.ClientExecutionTimeoutException',
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
      ].sort(),
    );
  });

  it('gives every Task exactly the shared retriers: the transient-error one if it calls AWS, the Lambda-service one', () => {
    // Act
    const drifted = driftedTasks(definition);

    // Assess
    expect(tasks.size).toBeGreaterThan(0);
    expect(drifted).toEqual([]);
  });

  it('finds every Task whose retrier drifted from the shared one, so the check above has teeth', () => {
    // Prepare
    const drifted = structuredClone(definition);
    const byName = allStates(drifted);
    const lambdaRetrier = (name: string) => ((byName.get(name)?.Retry ?? []) as Retrier[]).at(-1);
    const createSnapshot = lambdaRetrier('CreateSnapshot');
    const summarise = lambdaRetrier('Summarise');
    const summariseGateway = byName.get('SummariseGateway');
    if (summariseGateway) summariseGateway.Retry = ((summariseGateway.Retry ?? []) as Retrier[]).slice(1);
    if (createSnapshot) createSnapshot.MaxAttempts = 4;
    if (summarise) summarise.ErrorEquals = summarise.ErrorEquals.slice(1);
    const plan = byName.get('Plan');
    if (plan) plan.Retry = [...((plan.Retry ?? []) as Retrier[])].reverse();

    // Act
    const found = driftedTasks(drifted);

    // Assess
    expect(found.sort()).toEqual(['CreateSnapshot', 'Plan', 'Summarise', 'SummariseGateway']);
  });

  it('counts every Task among those that call AWS: each reaches Storage Gateway, EC2 or the evidence in S3', () => {
    // Act
    const awsTasks = [...tasks].filter(([, key]) => callsAws(key)).map(([name]) => name);

    // Assess
    expect(awsTasks.sort()).toEqual(
      [
        'ApplyRetention',
        'CheckSnapshots',
        'CopyRound',
        'CreateSnapshot',
        'ListRecoveryPoints',
        'Plan',
        'PlanCopies',
        'Summarise',
        'SummariseGateway',
      ].sort(),
    );
  });

  it.each([
    ['ListRecoveryPoints', '$.listFailure'],
    ['CreateSnapshot', '$.failure'],
    ['ApplyRetention', '$.retentionFailure'],
    // Copies (issue 13)
    ['PlanCopies', '$.copyFailure'],
    ['CopyRound', '$.roundFailure'],
  ])('%s catches every error into %s so its input survives', (name, resultPath) => {
    // Act
    const catchers = (state(name).Catch ?? []) as Catcher[];

    // Assess
    expect(catchers).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], ResultPath: resultPath })]);
    expect(states.has(catchers[0]?.Next ?? '')).toBe(true);
  });

  it('lets Plan fail the execution on InvalidInput: nothing catches it', () => {
    // Assess
    expect(state('Plan').Catch).toBeUndefined();
  });

  it('takes both Maps’ concurrency from the execution input', () => {
    // Prepare
    const options = optionsOf({ maxConcurrency: { gateways: 7, snapshots: 9 } });
    const maps = [...states].filter(([, s]) => s.Type === 'Map');

    // Act
    const concurrency = maps.map(([name, s]) => [
      name,
      at(String(s.MaxConcurrencyPath), { options }),
      s.MaxConcurrency,
    ]);

    // Assess
    expect(concurrency).toEqual([
      ['SnapshotGateways', 7, undefined],
      ['CreateSnapshots', 9, undefined],
      // Copies (issue 13): every destination's loop at once (at most MAX_COPY_DESTINATIONS).
      ['CopyDestinations', undefined, 0],
    ]);
  });

  it('fails with SnapshotsFailed, the error the callers and alarms expect', () => {
    // Act
    const fails = [...states.values()].filter((s) => s.Type === 'Fail');

    // Assess
    expect(fails.map((s) => s.Error)).toEqual([SNAPSHOTS_FAILED]);
  });
});

// Restore (issue 14): the restore workflow's ASL keeps the same conventions.
describe('the restore state machine definition', () => {
  const restore = loadDefinition(restoreWorkflow.definitionUrl);
  const restoreStates = allStates(restore);

  it('is valid ASL, with a handler for each Lambda task and the shared retriers on every Task', () => {
    // Act
    const result = aslValidator(resolveFunctionArns(restore, functionArn));
    const restoreTasks = taskFunctions(restore);

    // Assess
    expect(result.errorsText()).toBe('');
    expect([...new Set(restoreTasks.values())].sort()).toEqual(Object.keys(restoreWorkflow.handlers).sort());
    for (const key of restoreTasks.values()) expect(existsSync(handlerUrl(key))).toBe(true);
    expect(driftedTasks(restore)).toEqual([]);
    expect([...restoreStates.keys()].sort()).toEqual([...restoreWorkflow.stateNames].sort());
  });

  it('catches every failure of a volume inside its iteration, so no volume costs the others their outcome', () => {
    // Act
    const perVolume = ['CreateRestoredVolume', 'CheckRestoredVolume', 'DeleteRestoredVolume'].map(
      (name) => (restoreStates.get(name)?.Catch as Catcher[] | undefined)?.[0],
    );

    // Assess
    for (const catcher of perVolume) expect(catcher?.ErrorEquals).toEqual(['States.ALL']);
    expect(perVolume.map((c) => c?.ResultPath)).toEqual(['$.failure', '$.failure', '$.cleanupFailure']);
    expect(restoreStates.get('RestoreFailed')).toMatchObject({ Type: 'Fail', Error: RESTORE_FAILED });
  });
});
