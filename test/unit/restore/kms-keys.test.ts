import { keyProblem } from '../../../src/restore/kms-keys.ts';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('keyProblem: what a key means for a restore', () => {
  it('lets an Enabled key be used', () => {
    expect(keyProblem('snap-1', KEY, { keyState: 'Enabled' })).toBeUndefined();
  });

  it('names a Disabled key with the command that enables it', () => {
    expect(keyProblem('snap-1', KEY, { keyState: 'Disabled' })).toBe(
      `snapshot snap-1 is encrypted with key ${KEY}, which is Disabled: enable it (aws kms enable-key --key-id ${KEY}) or restore from another snapshot`,
    );
  });

  it('names a key pending deletion with the commands that bring it back', () => {
    const message = keyProblem('snap-1', KEY, { keyState: 'PendingDeletion' });
    expect(message).toContain('which is PendingDeletion');
    expect(message).toContain(`aws kms cancel-key-deletion --key-id ${KEY}, then aws kms enable-key --key-id ${KEY}`);
  });

  it('names any other state as not Enabled', () => {
    expect(keyProblem('snap-1', KEY, { keyState: 'Unavailable' })).toMatch(/which is Unavailable, not Enabled/);
  });

  it('names a key KMS does not know, one this account may not use, and one not described', () => {
    expect(keyProblem('snap-1', KEY, { error: 'NotFoundException' })).toMatch(
      /which KMS does not know here \(NotFoundException\)/,
    );
    expect(keyProblem('snap-1', KEY, { error: 'AccessDeniedException' })).toMatch(
      /which this account may not use \(AccessDeniedException\): the key policy must allow this account/,
    );
    expect(keyProblem('snap-1', KEY, undefined)).toMatch(/could not be described \(kms:DescribeKey\)/);
  });
});
