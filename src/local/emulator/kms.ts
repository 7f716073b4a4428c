import type { KmsKeyRecord } from './accounts.ts';
import { AwsError } from './errors.ts';
import type { OperationContext, ServiceProtocol } from './service.ts';
import { storageGatewayService } from './storage-gateway-protocol.ts';

/*
 * Restore (issue 14): KMS's `DescribeKey`, for the restore preflight's "the KMS keys can be used". KMS speaks awsJson1_1
 * like Storage Gateway, its operations named by `X-Amz-Target: TrentService.<operation>`. What it answers, from the
 * KMS API Reference as `@aws-sdk/client-kms` 3.1048.0 carries it (`DescribeKeyCommand`):
 * - `KeyMetadata` with `AWSAccountId`, `KeyId`, `Arn`, `CreationDate`, `Enabled`, `KeyState` (`Creating`, `Enabled`,
 *   `Disabled`, `PendingDeletion`, …), `DeletionDate` while `PendingDeletion`, `KeyManager`, `KeySpec`, `KeyUsage`;
 * - `NotFoundException` for a key it does not know. "Cross-account use: Yes. To perform this operation with a KMS key
 *   in a different Amazon Web Services account, specify the key ARN": a bare key ID is looked up in the caller's
 *   account only, so another account's key named by ID is not found;
 * - `AccessDeniedException` (a common error of every KMS operation) when the key's policy does not let the caller's
 *   account use it.
 */

const KMS_TARGET_PREFIX = 'TrentService.';
/** KMS's shortest waiting period before a key scheduled for deletion is deleted (ScheduleKeyDeletion: 7 to 30 days). */
const MIN_DELETION_WAIT_MS = 7 * 24 * 3600 * 1000;
/** When the fleet's keys were made: a fixed date, so answers do not change from one call to the next. */
const KEYS_CREATED_SECONDS = Date.UTC(2025, 0, 1) / 1000;

type JsonObject = Readonly<Record<string, unknown>>;

/** KMS over awsJson1_1: the same wire as Storage Gateway's, with KMS's own target prefix and internal error. */
export const kmsService: ServiceProtocol<JsonObject, JsonObject> = {
  ...storageGatewayService,
  targetOf: (operation) => `${KMS_TARGET_PREFIX}${operation}`,
  callTarget: () => ({ gatewayArn: undefined, volumeArn: undefined }),
  internal: (message) => new AwsError('KMSInternalException', message),
  injected: (name = 'KMSInternalException') => new AwsError(name, `${name} injected by the emulator`),
};

/** `DescribeKey` by key ID or key ARN, in the caller's Region, as the caller's account sees it. */
export function describeKey(params: JsonObject, { state, now, caller }: OperationContext): JsonObject {
  const keyId = typeof params.KeyId === 'string' ? params.KeyId : '';
  if (!keyId) throw new AwsError('ValidationException', "1 validation error detected: Value null at 'keyId'");
  const key = state.accounts.key(keyId, caller.region);
  const byArn = keyId.startsWith('arn:');
  if (!key || (!byArn && key.accountId !== caller.accountId)) {
    const arn = byArn ? keyId : `arn:aws:kms:${caller.region}:${caller.accountId}:key/${keyId}`;
    throw new AwsError('NotFoundException', `Key '${arn}' does not exist`);
  }
  if (!state.accounts.mayUse(key, caller.accountId)) {
    throw new AwsError(
      'AccessDeniedException',
      `User: arn:aws:sts::${caller.accountId}:assumed-role/caller is not authorized to perform: kms:DescribeKey on resource: ${key.arn} because no resource-based policy allows the kms:DescribeKey action`,
    );
  }
  return { KeyMetadata: metadataOf(key, now()) };
}

function metadataOf(key: KmsKeyRecord, at: number): JsonObject {
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: KEYS_CREATED_SECONDS,
    Enabled: key.keyState === 'Enabled',
    Description: '',
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: key.keyState,
    ...(key.keyState === 'PendingDeletion' ? { DeletionDate: (at + MIN_DELETION_WAIT_MS) / 1000 } : {}),
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
  };
}
