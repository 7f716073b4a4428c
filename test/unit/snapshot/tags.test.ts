import { executionNameProblem } from '../../../src/input/execution-name.ts';
import {
  executionArnOfTagValue,
  executionTagValue,
  MAX_USER_TAGS,
  RESERVED_TAG_PREFIX,
  SNAPSHOT_TAG,
  type SnapshotIdentity,
  snapshotTags,
} from '../../../src/snapshot/tags.ts';
import { EXECUTION, GATEWAY_ARN, volumeArn } from '../../helpers/fixtures.ts';

const IDENTITY: SnapshotIdentity = {
  gatewayArn: GATEWAY_ARN,
  volumeArn: volumeArn('vol-1122AABB'),
  recoveryPointTime: '2025-01-15T11:00:00.000Z',
  executionArn: EXECUTION.id,
};

describe('snapshotTags', () => {
  it('records the recovery point and the execution in our tags', () => {
    // Act
    const tags = snapshotTags(IDENTITY, {});

    // Assess
    expect(tags).toEqual([
      { Key: SNAPSHOT_TAG.gatewayArn, Value: GATEWAY_ARN },
      { Key: SNAPSHOT_TAG.volumeArn, Value: IDENTITY.volumeArn },
      { Key: SNAPSHOT_TAG.recoveryPointTime, Value: '2025-01-15T11:00:00.000Z' },
      { Key: SNAPSHOT_TAG.execution, Value: EXECUTION.id },
    ]);
    expect(tags.every((t) => t.Key.startsWith(RESERVED_TAG_PREFIX))).toBe(true);
  });

  it("puts the user's tags first and ours after them", () => {
    // Act
    const tags = snapshotTags(IDENTITY, { team: 'storage', 'cost-centre': '42' });

    // Assess
    expect(tags.map((t) => t.Key)).toEqual([
      'team',
      'cost-centre',
      SNAPSHOT_TAG.gatewayArn,
      SNAPSHOT_TAG.volumeArn,
      SNAPSHOT_TAG.recoveryPointTime,
      SNAPSHOT_TAG.execution,
    ]);
  });

  it("lets our tags override a user's tag of the same key", () => {
    // Act
    const tags = snapshotTags(IDENTITY, { [SNAPSHOT_TAG.recoveryPointTime]: 'forged', team: 'storage' });

    // Assess
    expect(tags.filter((t) => t.Key === SNAPSHOT_TAG.recoveryPointTime)).toEqual([
      { Key: SNAPSHOT_TAG.recoveryPointTime, Value: '2025-01-15T11:00:00.000Z' },
    ]);
    expect(tags).toHaveLength(5);
  });

  it('fits an execution ARN past 256 characters as its hash and its end', () => {
    // Prepare: a long state machine name and an 80-character execution name.
    const executionArn = `arn:aws:states:us-east-1:111122223333:execution:${'m'.repeat(150)}:${'e'.repeat(80)}`;

    // Act
    const tags = snapshotTags({ ...IDENTITY, executionArn }, {});

    // Assess
    const value = tags.find((t) => t.Key === SNAPSHOT_TAG.execution)?.Value ?? '';
    expect(executionArn.length).toBeGreaterThan(256);
    expect(value).toHaveLength(256);
    expect(value).toMatch(/^sha256:[0-9a-f]{64}:/);
    expect(executionArn.endsWith(value.slice(72))).toBe(true);
    expect(executionTagValue(executionArn)).toBe(value);
    expect(executionTagValue(`${executionArn}x`)).not.toBe(value);
    expect(executionArnOfTagValue(value)).toBeUndefined();
  });

  describe('an execution name of every character class Step Functions takes', () => {
    const STORAGE_GATEWAY_TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
    const arnOf = (name: string) => `arn:aws:states:us-east-1:111122223333:execution:sgw-recovery-snapshots:${name}`;

    it.each([
      ['letters and digits', 'drill2025'],
      ['- _ . @ +', 'a-b_c.d@e+f'],
      ['=, the escape character', 'a=3Db='],
      ["( ) ! '", "drill(1)!'"],
      ['symbols and punctuation', '§±©®™€£¥¤¶·¿¡«»'],
      ['letters of other scripts', 'Übung-演習-тест-ά'],
      ['emoji (two UTF-16 units)', 'drill-🙂-🚀'],
      ['80 characters that all need escaping', '!'.repeat(80)],
    ])('%s: a valid tag value that reads back as the ARN, or its hash', (_case, name) => {
      // Prepare
      const executionArn = arnOf(name);

      // Act
      const value = snapshotTags({ ...IDENTITY, executionArn }, {}).find(
        (t) => t.Key === SNAPSHOT_TAG.execution,
      )?.Value;

      // Assess
      expect(executionNameProblem(name)).toBeUndefined();
      expect(value).toMatch(STORAGE_GATEWAY_TAG_VALUE);
      expect(value?.length).toBeLessThanOrEqual(256);
      expect(executionArnOfTagValue(value ?? '') ?? executionArn).toBe(executionArn);
      expect(value).toBe(executionTagValue(executionArn));
    });

    it('leaves an ARN of tag characters as it is', () => {
      expect(executionTagValue(EXECUTION.id)).toBe(EXECUTION.id);
    });

    it("escapes ( ) ! ' and = as their UTF-8 bytes", () => {
      expect(executionTagValue(arnOf("a(b)!'=é"))).toBe(arnOf('a=28b=29=21=27=3Dé'));
      expect(executionTagValue(arnOf('🙂'))).toBe(arnOf('=F0=9F=99=82'));
    });
  });

  it('fits a snapshot with the most user tags allowed in the 50 a snapshot holds', () => {
    // Prepare
    const user = Object.fromEntries(Array.from({ length: MAX_USER_TAGS }, (_, i) => [`tag-${i}`, 'x']));

    // Act
    const tags = snapshotTags(IDENTITY, user);

    // Assess
    expect(tags).toHaveLength(50);
  });
});
