import { executionTagValue, RESERVED_TAG_PREFIX } from '../snapshot/tags.ts';

/** The tags a restore puts on every volume it creates: what made it, from what, and whether a test will delete it. */
export const RESTORE_TAG = {
  execution: `${RESERVED_TAG_PREFIX}restore-execution`,
  sourceVolume: `${RESERVED_TAG_PREFIX}restore-source-volume`,
  /** `true` on the volumes of a restore test, and only there: the IAM conditions of the deletes require it. */
  test: `${RESERVED_TAG_PREFIX}restore-test`,
} as const;

/** The value of {@link RESTORE_TAG}.test that marks a volume a restore test may delete. */
export const RESTORE_TEST_TAG_VALUE = 'true';

/** The tags of a volume restored by `executionArn` from `sourceVolumeArn`. */
export function restoreTags(executionArn: string, sourceVolumeArn: string, test: boolean): Record<string, string> {
  return {
    [RESTORE_TAG.execution]: executionTagValue(executionArn),
    [RESTORE_TAG.sourceVolume]: sourceVolumeArn,
    ...(test ? { [RESTORE_TAG.test]: RESTORE_TEST_TAG_VALUE } : {}),
  };
}

/**
 * Whether a volume carrying `tags` is one the restore test `executionArn` made from `sourceVolumeArn`: the only
 * volumes its cleanup deletes (the IAM policy says the same for any test).
 */
export function isOwnTestVolume(
  tags: Readonly<Record<string, string>>,
  executionArn: string,
  sourceVolumeArn: string,
): boolean {
  return (
    tags[RESTORE_TAG.test] === RESTORE_TEST_TAG_VALUE &&
    tags[RESTORE_TAG.execution] === executionTagValue(executionArn) &&
    tags[RESTORE_TAG.sourceVolume] === sourceVolumeArn
  );
}
