import {
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

  it('clips an execution ARN to the 256 characters a tag value holds, keeping its end', () => {
    // Prepare: a long state machine name and an 80-character execution name.
    const executionArn = `arn:aws:states:us-east-1:111122223333:execution:${'m'.repeat(150)}:${'e'.repeat(80)}`;

    // Act
    const tags = snapshotTags({ ...IDENTITY, executionArn }, {});

    // Assess
    const value = tags.find((t) => t.Key === SNAPSHOT_TAG.execution)?.Value ?? '';
    expect(executionArn.length).toBeGreaterThan(256);
    expect(value).toHaveLength(256);
    expect(executionArn.endsWith(value)).toBe(true);
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
