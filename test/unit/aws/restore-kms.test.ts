import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { kmsKeyFacts } from '../../../src/aws/restore-kms.ts';

const kms = mockClient(KMSClient);
const client = new KMSClient({ region: 'us-east-1' });
const arn = (n: number) => `arn:aws:kms:us-east-1:111122223333:key/${n}234abcd-12ab-34cd-56ef-1234567890ab`;
const failure = (name: string) => Object.assign(new Error(name), { name });

describe('kmsKeyFacts', () => {
  beforeEach(() => kms.reset());

  it('asks once per distinct key and keeps the refusals that say the key is not ours to use', async () => {
    // Prepare
    kms.on(DescribeKeyCommand, { KeyId: arn(1) }).resolves({ KeyMetadata: { KeyId: '1', KeyState: 'Disabled' } });
    kms.on(DescribeKeyCommand, { KeyId: arn(2) }).rejects(failure('NotFoundException'));
    kms.on(DescribeKeyCommand, { KeyId: arn(3) }).rejects(failure('AccessDeniedException'));

    // Act
    const facts = await kmsKeyFacts(client, [arn(1), arn(2), arn(1), arn(3), arn(1)]);

    // Assess
    expect(facts).toEqual({
      [arn(1)]: { keyState: 'Disabled' },
      [arn(2)]: { error: 'NotFoundException' },
      [arn(3)]: { error: 'AccessDeniedException' },
    });
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(3);
  });

  it('throws a throttle or an internal error, for the state machine to retry', async () => {
    // Prepare
    kms.on(DescribeKeyCommand).rejects(failure('ThrottlingException'));

    // Act / Assess
    await expect(kmsKeyFacts(client, [arn(1)])).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('asks nothing when no snapshot is encrypted with a key', async () => {
    expect(await kmsKeyFacts(client, [])).toEqual({});
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(0);
  });
});
