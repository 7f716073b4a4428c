import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { StorageGatewayClient, type StorageGatewayClientConfig } from '@aws-sdk/client-storage-gateway';

// Retries belong to the state machine, where they are visible and cost no Lambda time:
// an SDK that retried too would multiply them.
const SINGLE_ATTEMPT = { maxAttempts: 1 } as const;

/** A Storage Gateway client that makes one attempt per call. */
export function createStorageGatewayClient(config: StorageGatewayClientConfig = {}): StorageGatewayClient {
  return new StorageGatewayClient({ ...SINGLE_ATTEMPT, ...config });
}

/** An EC2 client that makes one attempt per call. */
export function createEc2Client(config: EC2ClientConfig = {}): EC2Client {
  return new EC2Client({ ...SINGLE_ATTEMPT, ...config });
}

/** An S3 client that makes one attempt per call. */
export function createS3Client(config: S3ClientConfig = {}): S3Client {
  return new S3Client({ ...SINGLE_ATTEMPT, ...config });
}
