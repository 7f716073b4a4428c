import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { KEY_REFUSALS, type KeyFacts } from '../restore/kms-keys.ts';

/**
 * Restore (issue 14): `DescribeKey` once per distinct key: its `KeyState`, or the refusal that says the key is not
 * ours to use (`KEY_REFUSALS`). Any other failure (a throttle, an internal error) is thrown, for the state machine to
 * retry. Keys are named by ARN, as EC2's `KmsKeyId` gives them: KMS finds another account's key by ARN only.
 */
export async function kmsKeyFacts(client: KMSClient, keyIds: readonly string[]): Promise<Record<string, KeyFacts>> {
  const unique = [...new Set(keyIds)];
  const facts = await Promise.all(
    unique.map(async (keyId): Promise<[string, KeyFacts]> => {
      try {
        const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
        return [keyId, { keyState: KeyMetadata?.KeyState ?? 'Unavailable' }];
      } catch (error) {
        const name = (error as Error).name;
        if (KEY_REFUSALS.has(name)) return [keyId, { error: name }];
        throw error;
      }
    }),
  );
  return Object.fromEntries(facts);
}
