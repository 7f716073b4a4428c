import { INVALID_INPUT, InvalidInputError } from '../../../src/errors.ts';
import { executionNameProblem, MAX_EXECUTION_NAME_LENGTH } from '../../../src/input/execution-name.ts';
import { type ExecutionScope, scopeOfExecutionArn } from '../../../src/input/execution-scope.ts';
import { assertVolumesInGateways, parseExecutionInput } from '../../../src/input/parse.ts';
import { MAX_VOLUME_ARNS } from '../../../src/input/schema.ts';
import { snapshotTags } from '../../../src/snapshot/tags.ts';
import { ACCOUNT, EXECUTION, GATEWAY_ARN, OTHER_GATEWAY_ARN, volumeArn } from '../../helpers/fixtures.ts';

const SCOPE: ExecutionScope = { partition: 'aws', region: 'us-east-1', account: ACCOUNT };

/** The error `parseExecutionInput` throws for `input` in `SCOPE`; fails the test if it accepts it. */
function rejection(input: unknown, scope: ExecutionScope | undefined = SCOPE): InvalidInputError {
  try {
    parseExecutionInput(input, scope);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input).slice(0, 200)}`);
}

const volumes = (count: number) =>
  Array.from({ length: count }, (_, i) => volumeArn(`vol-${String(i).padStart(8, '0')}`));

describe('scopeOfExecutionArn', () => {
  it('reads partition, Region and account from an execution ARN, a child execution ARN too', () => {
    expect(scopeOfExecutionArn(EXECUTION.id)).toEqual(SCOPE);
    expect(scopeOfExecutionArn(`arn:aws-cn:states:cn-north-1:${ACCOUNT}:execution:m/Gateways:abc`)).toEqual({
      partition: 'aws-cn',
      region: 'cn-north-1',
      account: ACCOUNT,
    });
  });

  it('gives nothing for what is no execution ARN', () => {
    expect(scopeOfExecutionArn('run-1')).toBeUndefined();
    expect(scopeOfExecutionArn(`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:m`)).toBeUndefined();
  });
});

describe('parseExecutionInput: the hard edges', () => {
  it.each<[string, unknown, string, string]>([
    [
      'a gateway of another Region',
      { gatewayArns: [GATEWAY_ARN.replace('us-east-1', 'eu-west-1')] },
      'gatewayArns[0]',
      'Region eu-west-1',
    ],
    [
      'a gateway of another account',
      { gatewayArns: [GATEWAY_ARN.replace(ACCOUNT, '444455556666')] },
      'gatewayArns[0]',
      'account 444455556666',
    ],
    [
      'a gateway of another partition',
      { gatewayArns: [GATEWAY_ARN.replace('arn:aws:', 'arn:aws-cn:')] },
      'gatewayArns[0]',
      'partition aws-cn',
    ],
    [
      'a volume of another Region',
      { volumeArns: [volumeArn('vol-1122AABB', GATEWAY_ARN.replace('us-east-1', 'us-west-2'))] },
      'volumeArns[0]',
      'Region us-west-2',
    ],
    [
      'an excluded volume of another account',
      { excludeVolumeArns: [volumeArn('vol-1122AABB', GATEWAY_ARN.replace(ACCOUNT, '444455556666'))] },
      'excludeVolumeArns[0]',
      'account',
    ],
  ])('refuses %s, naming the field and where the execution runs', (_case, input, field, reason) => {
    const error = rejection(input);
    expect(error.name).toBe(INVALID_INPUT);
    expect(error.field).toBe(field);
    expect(error.message).toContain(reason);
  });

  it.each<[string, unknown, string]>([
    [
      'a partition no AWS API knows',
      { gatewayArns: [GATEWAY_ARN.replace('arn:aws:', 'arn:aws-zzz:')] },
      'gatewayArns[0]',
    ],
    ['a 1 MB gateway ARN', { gatewayArns: [`${GATEWAY_ARN}${'A'.repeat(1_000_000)}`] }, 'gatewayArns[0]'],
    [
      'a gateway ARN of 501 characters',
      { gatewayArns: [`${GATEWAY_ARN}${'A'.repeat(501 - GATEWAY_ARN.length)}`] },
      'gatewayArns[0]',
    ],
    [
      'a volume ARN of 501 characters',
      { volumeArns: [`${volumeArn('vol-')}${'A'.repeat(501 - volumeArn('vol-').length)}`] },
      'volumeArns[0]',
    ],
    [
      'a gateway ARN of 49 characters',
      { gatewayArns: ['arn:aws:storagegateway:a:111122223333:gateway/sgw-1'] },
      'gatewayArns[0]',
    ],
    ['an empty volumeArns', { volumeArns: [] }, 'volumeArns'],
    [`${MAX_VOLUME_ARNS + 1} volumeArns`, { volumeArns: volumes(MAX_VOLUME_ARNS + 1) }, 'volumeArns'],
    [
      `${MAX_VOLUME_ARNS + 1} excludeVolumeArns`,
      { excludeVolumeArns: volumes(MAX_VOLUME_ARNS + 1) },
      'excludeVolumeArns',
    ],
    [
      'a volume of a gateway not in gatewayArns',
      {
        gatewayArns: [GATEWAY_ARN],
        volumeArns: [volumeArn('vol-1122AABB'), volumeArn('vol-1122AABB', OTHER_GATEWAY_ARN)],
      },
      'volumeArns[1]',
    ],
    ['a tag key __proto__', JSON.parse('{"tags": {"team": "a", "__proto__": "x"}}'), 'tags.__proto__'],
    ['a top-level key __proto__', JSON.parse('{"__proto__": {"dryRun": false}}'), '__proto__'],
    ['a policy key __proto__', JSON.parse('{"policy": {"__proto__": {}}}'), 'policy.__proto__'],
  ])('refuses %s with InvalidInput naming the field', (_case, input, field) => {
    const error = rejection(input);
    expect(error.name).toBe(INVALID_INPUT);
    expect(error.field).toBe(field);
    expect(error.message.length).toBeLessThan(2_000);
  });

  it('checks shape, length and partition even without a scope', () => {
    expect(rejection({ gatewayArns: [GATEWAY_ARN.replace('arn:aws:', 'arn:aws-zzz:')] }, undefined).field).toBe(
      'gatewayArns[0]',
    );
    expect(rejection({ volumeArns: [] }, undefined).field).toBe('volumeArns');
  });

  it('accepts ARNs of its own scope up to 500 characters, and the most volumes it takes', () => {
    const longest = `${GATEWAY_ARN}${'A'.repeat(500 - GATEWAY_ARN.length)}`;
    const options = parseExecutionInput(
      { gatewayArns: [GATEWAY_ARN, longest], excludeVolumeArns: volumes(MAX_VOLUME_ARNS) },
      SCOPE,
    );
    expect(options.gatewayArns?.map((arn) => arn.length)).toEqual([GATEWAY_ARN.length, 500]);
    expect(options.excludeVolumeArns).toHaveLength(MAX_VOLUME_ARNS);
    expect(parseExecutionInput({ volumeArns: volumes(MAX_VOLUME_ARNS) }, SCOPE).volumeArns).toHaveLength(
      MAX_VOLUME_ARNS,
    );
  });

  it('keeps the tag keys constructor and prototype, and they reach the snapshot', () => {
    const options = parseExecutionInput(JSON.parse('{"tags": {"constructor": "a", "prototype": "b"}}'), SCOPE);
    const tags = snapshotTags(
      { gatewayArn: GATEWAY_ARN, volumeArn: volumeArn('v'), recoveryPointTime: 't', executionArn: EXECUTION.id },
      options.tags,
    );
    expect(Object.hasOwn(options.tags, 'constructor')).toBe(true);
    expect(tags).toEqual(
      expect.arrayContaining([
        { Key: 'constructor', Value: 'a' },
        { Key: 'prototype', Value: 'b' },
      ]),
    );
  });
});

describe('assertVolumesInGateways', () => {
  it('refuses a volume of a gateway discovery did not find, and passes one it did', () => {
    const options = parseExecutionInput({ volumeArns: [volumeArn('vol-1122AABB', OTHER_GATEWAY_ARN)] }, SCOPE);
    expect(() => assertVolumesInGateways(options, [OTHER_GATEWAY_ARN])).not.toThrow();
    expect(() => assertVolumesInGateways(options, [GATEWAY_ARN])).toThrow(
      expect.objectContaining({ name: INVALID_INPUT, field: 'volumeArns[0]' }),
    );
  });
});

describe('executionNameProblem', () => {
  it.each([
    ['letters, digits, - and _', 'drill-2025_01'],
    ["( ) ! ' . @ + =", "drill(1)!'.@+="],
    ['letters of other scripts and emoji', 'Übung-演習-🙂'],
    [`${MAX_EXECUTION_NAME_LENGTH} characters`, 'n'.repeat(MAX_EXECUTION_NAME_LENGTH)],
  ])('takes %s', (_case, name) => {
    expect(executionNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    [`${MAX_EXECUTION_NAME_LENGTH + 1} characters`, 'n'.repeat(MAX_EXECUTION_NAME_LENGTH + 1)],
    ['a space', 'a b'],
    ['a no-break space', 'a\u00a0b'],
    ['a tab', 'a\tb'],
    ...[...'<>{}[]?*"#%\\^|~`$&,;:/'].map((c) => [`"${c}"`, `a${c}b`]),
    ['a control character', 'a\u0007b'],
    ['a C1 control character', 'a\u0085b'],
    ['U+FFFF', 'a\uffffb'],
    ['a lone surrogate', 'a\ud800b'],
  ])('refuses %s', (_case, name) => {
    expect(executionNameProblem(name)).toEqual(expect.any(String));
  });
});
