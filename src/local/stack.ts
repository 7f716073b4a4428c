import { fileURLToPath } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import {
  createDynamoDbClient,
  createEc2Client,
  createKmsClient,
  createS3Client,
  createStorageGatewayClient,
  createStsClient,
  ec2ClientsByRegion,
} from '../aws/clients.ts';
import { idempotencyTableFromEnvironment } from '../create-once/idempotency-table.ts';
import { EVIDENCE_BUCKET_VARIABLE } from '../evidence/config.ts';
import { createEvidenceStore } from '../evidence/store.ts';
import type { StepHandler, WorkflowDescriptor } from '../workflow/descriptor.ts';
import { snapshotWorkflow } from '../workflow/snapshot.ts';
import { SimulatedClock } from './clock.ts';
import { createLocalDynamoDbClient, createLocalDynamoDbServer, type LocalDynamoDbServer } from './dynamodb-server.ts';
import type { FaultRule } from './emulator/faults.ts';
import { createEmulator, type Emulator } from './emulator/index.ts';
import { loadFleet } from './fleet.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './runner.ts';
import {
  createLocalS3Client,
  createLocalS3Server,
  DEFAULT_LOCAL_EVIDENCE_BUCKET,
  defaultS3Directory,
  type LocalS3Server,
} from './s3-server.ts';
import { createStepHandlers } from './step-handlers.ts';

/** The demo fleet that ships with the project. */
export const DEMO_FLEET_PATH = fileURLToPath(new URL('./fleets/demo.json', import.meta.url));

export interface LocalStackOptions {
  /** The workflow whose handlers the stack wires. @default snapshotWorkflow */
  workflow?: WorkflowDescriptor;
  /** Fleet file for the emulator. @default DEMO_FLEET_PATH */
  fleetPath?: string;
  faults?: readonly FaultRule[];
  snapshotCompletionMs?: number;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** Directory of the embedded S3 server's data. @default defaultS3Directory(env) */
  s3Directory?: string;
  /** Port of the embedded S3 server. @default 0, any free port */
  s3Port?: number;
  /** Copies (issue 13): how long the emulator's snapshot copies stay pending. @default DEFAULT_COPY_COMPLETION_MS */
  copyCompletionMs?: number;
}

/** The AWS side of a local run: clients, a workflow's handlers wired to them, and the emulator when one was started. */
export interface LocalStack {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
  /** The workflow `handlers` belong to. */
  workflow: WorkflowDescriptor;
  handlers: Record<string, StepHandler>;
  /** Restore (issue 14): the handlers of another workflow over the same clients (`serve` runs two workflows). */
  handlersOf(workflow: WorkflowDescriptor): Record<string, StepHandler>;
  /** Absent when `AWS_ENDPOINT_URL_STORAGE_GATEWAY` named an endpoint of the user's. */
  emulator?: Emulator;
  /**
   * The clock the stack's emulator and handlers read (unless `now` was given), for the runner to move by what it
   * skips (`LocalExecutionOptions.clock`). Absent with an endpoint of the user's: that one lives in real time.
   */
  clock?: SimulatedClock;
  endpoint: string;
  /** The client of the evidence bucket: the embedded S3 server's, or `AWS_ENDPOINT_URL_S3`'s. */
  s3: S3Client;
  /** `EVIDENCE_BUCKET`, else {@link DEFAULT_LOCAL_EVIDENCE_BUCKET}. */
  evidenceBucket: string;
  /** Absent when `AWS_ENDPOINT_URL_S3` named an endpoint of the user's. */
  s3Server?: LocalS3Server;
  s3Endpoint: string;
  /** The client of the idempotency table: the embedded DynamoDB server's, or `AWS_ENDPOINT_URL_DYNAMODB`'s. */
  dynamodb: DynamoDBClient;
  /** `IDEMPOTENCY_TABLE`, else `DEFAULT_LOCAL_IDEMPOTENCY_TABLE`. */
  idempotencyTable: string;
  /** Absent when `AWS_ENDPOINT_URL_DYNAMODB` named an endpoint of the user's (where the table must exist). */
  dynamodbServer?: LocalDynamoDbServer;
  dynamodbEndpoint: string;
  close(): Promise<void>;
}

/**
 * Starts the emulator on an ephemeral port, unless `AWS_ENDPOINT_URL_STORAGE_GATEWAY` is set: then
 * that endpoint (and `AWS_ENDPOINT_URL_EC2`) is used, and dummy credentials and `us-east-1` are
 * supplied only where none are configured. Likewise an embedded S3 server (s3rver) keeps the evidence
 * bucket in a directory that survives restarts, unless `AWS_ENDPOINT_URL_S3` is set, and an embedded
 * DynamoDB server (dynalite, in memory) holds the idempotency table every execution of this stack shares,
 * unless `AWS_ENDPOINT_URL_DYNAMODB` is set.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const env = options.env ?? process.env;
  const workflow = options.workflow ?? snapshotWorkflow;
  const external = env.AWS_ENDPOINT_URL_STORAGE_GATEWAY;
  // The runner's clock: the emulator started here and the handlers live in the time the runner skips.
  const clock = external ? undefined : new SimulatedClock();
  const now = options.now ?? clock?.now ?? Date.now;
  let emulator: Emulator | undefined;
  let endpoint: string;
  if (external) {
    endpoint = external;
  } else {
    emulator = createEmulator({
      fleet: await loadFleet(options.fleetPath ?? DEMO_FLEET_PATH),
      faults: options.faults ?? [],
      now,
      ...(options.snapshotCompletionMs === undefined ? {} : { snapshotCompletionMs: options.snapshotCompletionMs }),
      ...(options.copyCompletionMs === undefined ? {} : { copyCompletionMs: options.copyCompletionMs }),
    });
    endpoint = (await emulator.listen()).url;
  }
  const hasCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE);
  const common = {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? LOCAL_REGION,
    ...(hasCredentials ? {} : { credentials: LOCAL_CREDENTIALS }),
  };
  const storageGateway = createStorageGatewayClient({ ...common, endpoint });
  const ec2Endpoint = external ? (env.AWS_ENDPOINT_URL_EC2 ?? endpoint) : endpoint;
  const ec2 = createEc2Client({ ...common, endpoint: ec2Endpoint });
  let evidence: EvidenceS3 | undefined;
  let idempotency: IdempotencyDynamoDb;
  try {
    evidence = await startEvidenceS3(env, options, common);
    idempotency = await startIdempotencyDynamoDb(env, common);
  } catch (error) {
    storageGateway.destroy();
    ec2.destroy();
    evidence?.s3.destroy();
    await Promise.all([emulator?.close(), evidence?.s3Server?.close()]);
    throw error;
  }
  const { s3 } = evidence;
  const { evidenceBucket } = evidence;
  // Copies (issue 13): EC2 of the copies' Regions, on the same endpoint; the emulator tells Regions apart by signature.
  // A role's credentials (another account's) get a client of their own, closed with the stack.
  const regional = ec2ClientsByRegion({ ...common, endpoint: ec2Endpoint });
  const ec2In = regional.clientIn;
  // Copies (issue 13): STS, to assume the copy role of another account: the emulator's, or AWS_ENDPOINT_URL_STS.
  const sts = createStsClient({ ...common, endpoint: external ? (env.AWS_ENDPOINT_URL_STS ?? endpoint) : endpoint });
  // Restore (issue 14): KMS, for the restore preflight's DescribeKey: the emulator's, or AWS_ENDPOINT_URL_KMS.
  const kms = createKmsClient({ ...common, endpoint: external ? (env.AWS_ENDPOINT_URL_KMS ?? endpoint) : endpoint });
  const deps = {
    storageGateway,
    ec2,
    ec2In,
    sts,
    kms,
    now,
    evidence: createEvidenceStore({ s3 }),
    evidenceBucket: () => evidenceBucket,
    idempotency: { dynamodb: idempotency.dynamodb, tableName: idempotency.idempotencyTable },
  };
  return {
    storageGateway,
    ec2,
    workflow,
    handlers: createStepHandlers(workflow, deps),
    handlersOf: (other) => createStepHandlers(other, deps),
    ...(emulator ? { emulator } : {}),
    ...(clock && !options.now ? { clock } : {}),
    endpoint,
    ...evidence,
    ...idempotency,
    async close() {
      storageGateway.destroy();
      ec2.destroy();
      regional.destroy();
      sts.destroy();
      kms.destroy();
      s3.destroy();
      idempotency.dynamodb.destroy();
      await Promise.all([emulator?.close(), evidence.s3Server?.close(), idempotency.dynamodbServer?.close()]);
    },
  };
}

type EvidenceS3 = Pick<LocalStack, 's3' | 'evidenceBucket' | 's3Server' | 's3Endpoint'>;

async function startEvidenceS3(
  env: NodeJS.ProcessEnv,
  { s3Directory, s3Port }: Pick<LocalStackOptions, 's3Directory' | 's3Port'>,
  common: { region: string } & Pick<S3ClientConfig, 'credentials'>,
): Promise<EvidenceS3> {
  const evidenceBucket = env[EVIDENCE_BUCKET_VARIABLE] || DEFAULT_LOCAL_EVIDENCE_BUCKET;
  // Path-style requests: a local endpoint has no DNS name per bucket.
  const external = env.AWS_ENDPOINT_URL_S3;
  if (external) {
    const s3 = createS3Client({ ...common, endpoint: external, forcePathStyle: true });
    return { s3, evidenceBucket, s3Endpoint: external };
  }
  const s3Server = createLocalS3Server({
    directory: s3Directory ?? defaultS3Directory(env),
    buckets: [evidenceBucket],
    ...(s3Port === undefined ? {} : { port: s3Port }),
  });
  const s3Endpoint = (await s3Server.listen()).url;
  // s3rver accepts only its own key pair, whatever the user's profile holds.
  const s3 = createLocalS3Client(s3Endpoint, common.region);
  return { s3, evidenceBucket, s3Server, s3Endpoint };
}

type IdempotencyDynamoDb = Pick<LocalStack, 'dynamodb' | 'idempotencyTable' | 'dynamodbServer' | 'dynamodbEndpoint'>;

async function startIdempotencyDynamoDb(
  env: NodeJS.ProcessEnv,
  common: { region: string } & Pick<S3ClientConfig, 'credentials'>,
): Promise<IdempotencyDynamoDb> {
  const idempotencyTable = idempotencyTableFromEnvironment(env);
  const external = env.AWS_ENDPOINT_URL_DYNAMODB;
  if (external) {
    return {
      dynamodb: createDynamoDbClient({ ...common, endpoint: external }),
      idempotencyTable,
      dynamodbEndpoint: external,
    };
  }
  const dynamodbServer = createLocalDynamoDbServer({ tables: [idempotencyTable] });
  const dynamodbEndpoint = (await dynamodbServer.listen()).url;
  const dynamodb = createLocalDynamoDbClient(dynamodbEndpoint, common.region);
  return { dynamodb, idempotencyTable, dynamodbServer, dynamodbEndpoint };
}
