import { fileURLToPath } from 'node:url';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { createEc2Client, createStorageGatewayClient } from '../aws/clients.ts';
import type { StepHandler, WorkflowDescriptor } from '../workflow/descriptor.ts';
import { snapshotWorkflow } from '../workflow/snapshot.ts';
import type { FaultRule } from './emulator/faults.ts';
import { createEmulator, type Emulator } from './emulator/index.ts';
import { loadFleet } from './fleet.ts';
import { LOCAL_REGION } from './runner.ts';
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
}

/** The AWS side of a local run: clients, a workflow's handlers wired to them, and the emulator when one was started. */
export interface LocalStack {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
  /** The workflow `handlers` belong to. */
  workflow: WorkflowDescriptor;
  handlers: Record<string, StepHandler>;
  /** Absent when `AWS_ENDPOINT_URL_STORAGE_GATEWAY` named an endpoint of the user's. */
  emulator?: Emulator;
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts the emulator on an ephemeral port, unless `AWS_ENDPOINT_URL_STORAGE_GATEWAY` is set: then
 * that endpoint (and `AWS_ENDPOINT_URL_EC2`) is used, and dummy credentials and `us-east-1` are
 * supplied only where none are configured.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const env = options.env ?? process.env;
  const workflow = options.workflow ?? snapshotWorkflow;
  const now = options.now ?? Date.now;
  const external = env.AWS_ENDPOINT_URL_STORAGE_GATEWAY;
  let emulator: Emulator | undefined;
  let endpoint: string;
  if (external) {
    endpoint = external;
  } else {
    emulator = createEmulator({
      fleet: await loadFleet(options.fleetPath ?? DEMO_FLEET_PATH),
      faults: options.faults ?? [],
      ...(options.snapshotCompletionMs === undefined ? {} : { snapshotCompletionMs: options.snapshotCompletionMs }),
    });
    endpoint = (await emulator.listen()).url;
  }
  const hasCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE);
  const common = {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? LOCAL_REGION,
    ...(hasCredentials ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
  const storageGateway = createStorageGatewayClient({ ...common, endpoint });
  const ec2 = createEc2Client({ ...common, endpoint: external ? (env.AWS_ENDPOINT_URL_EC2 ?? endpoint) : endpoint });
  return {
    storageGateway,
    ec2,
    workflow,
    handlers: createStepHandlers(workflow, { storageGateway, ec2, now }),
    ...(emulator ? { emulator } : {}),
    endpoint,
    async close() {
      storageGateway.destroy();
      ec2.destroy();
      await emulator?.close();
    },
  };
}
