import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { StorageGatewayClient, type StorageGatewayClientConfig } from '@aws-sdk/client-storage-gateway';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import type { RoleCredentials } from './ec2-copies.ts';

// Retries belong to the state machine, where they are visible and cost no Lambda time:
// an SDK that retried too would multiply them.
const SINGLE_ATTEMPT = { maxAttempts: 1 } as const;

/**
 * How long one call may wait for its answer. Without it a hung request waits for the Task's whole timeout and
 * fails as `States.Timeout`, which no retrier matches; with it the SDK throws `TimeoutError`, which the step
 * middleware names `TransientNetworkError` and the state machine retries. Our slowest call, a page of 1,000
 * snapshots, answers in well under this.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

const CLIENT_DEFAULTS = {
  ...SINGLE_ATTEMPT,
  requestHandler: { requestTimeout: DEFAULT_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
} as const;

/** A Storage Gateway client that makes one attempt per call and gives up on an answer after a timeout. */
export function createStorageGatewayClient(config: StorageGatewayClientConfig = {}): StorageGatewayClient {
  return new StorageGatewayClient({ ...CLIENT_DEFAULTS, ...config });
}

/** An EC2 client that makes one attempt per call and gives up on an answer after a timeout. */
export function createEc2Client(config: EC2ClientConfig = {}): EC2Client {
  return new EC2Client({ ...CLIENT_DEFAULTS, ...config });
}

/**
 * Copies (issue 13): EC2 of any Region on `config`'s endpoint, with its credentials or a role's: one client per Region
 * and credentials, made on first use and kept until `destroy` (the local stack and the tests, which close what they
 * open). A deployed round makes its own (`functions/copy-round`): a warm Lambda must not keep a client per round's role.
 */
export function ec2ClientsByRegion(config: EC2ClientConfig = {}): {
  clientIn: (region: string, credentials?: RoleCredentials) => EC2Client;
  destroy: () => void;
} {
  const clients = new Map<string, EC2Client>();
  return {
    clientIn(region, credentials) {
      const key = `${region}/${credentials?.accessKeyId ?? ''}`;
      const client =
        clients.get(key) ?? createEc2Client({ ...config, region, ...(credentials ? { credentials } : {}) });
      clients.set(key, client);
      return client;
    },
    destroy() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}

/** Copies (issue 13): an STS client that makes one attempt per call and gives up on an answer after a timeout. */
export function createStsClient(config: STSClientConfig = {}): STSClient {
  return new STSClient({ ...CLIENT_DEFAULTS, ...config });
}

/** Restore (issue 14): a KMS client that makes one attempt per call and gives up on an answer after a timeout. */
export function createKmsClient(config: KMSClientConfig = {}): KMSClient {
  return new KMSClient({ ...CLIENT_DEFAULTS, ...config });
}

/** An S3 client that makes one attempt per call and gives up on an answer after a timeout. */
export function createS3Client(config: S3ClientConfig = {}): S3Client {
  return new S3Client({ ...CLIENT_DEFAULTS, ...config });
}

/**
 * A DynamoDB client with the SDK's standard retries, unlike the others: Powertools' persistence layer turns
 * every DynamoDB failure into one `IdempotencyPersistenceLayerError`, which the state machine cannot tell
 * from a misconfigured table; the SDK still knows a throttle from a denial.
 */
export function createDynamoDbClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient(config);
}
