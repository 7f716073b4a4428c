/**
 * What KMS's `DescribeKey` said of a key that encrypts snapshots to restore: its `KeyState`, or the error it refused
 * the call with (`NotFoundException`, `AccessDeniedException`, `InvalidArnException`).
 */
export type KeyFacts = { keyState: string } | { error: string };

/**
 * The KMS errors that say something of the key itself (it does not exist here, or this account may not use it),
 * unlike a throttle or an internal error, which the state machine retries. KMS API Reference, `DescribeKey`, "Errors",
 * and "Common Errors" for `AccessDeniedException`.
 */
export const KEY_REFUSALS: ReadonlySet<string> = new Set([
  'NotFoundException',
  'AccessDeniedException',
  'InvalidArnException',
]);

/**
 * Why a restore cannot use the key `keyId` that encrypts snapshot `snapshotId`, with what to do; `undefined` when
 * the key is `Enabled`. A volume restored from an encrypted snapshot needs its key (`CreateVolume` and Storage
 * Gateway decrypt through it): only an `Enabled` key can be used (KMS Developer Guide, "Key states of AWS KMS keys").
 * Pure: the facts are read by the caller; `undefined` facts mean the key was not described.
 */
export function keyProblem(snapshotId: string, keyId: string, facts: KeyFacts | undefined): string | undefined {
  const encrypted = `snapshot ${snapshotId} is encrypted with key ${keyId}`;
  const otherwise = 'or restore from another snapshot';
  if (!facts) return `${encrypted}, which could not be described (kms:DescribeKey)`;
  if ('error' in facts) {
    if (facts.error === 'AccessDeniedException')
      return `${encrypted}, which this account may not use (AccessDeniedException): the key policy must allow this account (and this role kms:DescribeKey), ${otherwise}`;
    return `${encrypted}, which KMS does not know here (${facts.error}): it was deleted or is not shared with this account; restore from another snapshot`;
  }
  switch (facts.keyState) {
    case 'Enabled':
      return undefined;
    case 'Disabled':
      return `${encrypted}, which is Disabled: enable it (aws kms enable-key --key-id ${keyId}) ${otherwise}`;
    case 'PendingDeletion':
      return `${encrypted}, which is PendingDeletion: cancel the deletion and enable it (aws kms cancel-key-deletion --key-id ${keyId}, then aws kms enable-key --key-id ${keyId}) ${otherwise}`;
    default:
      return `${encrypted}, which is ${facts.keyState}, not Enabled: wait until it is Enabled ${otherwise}`;
  }
}
