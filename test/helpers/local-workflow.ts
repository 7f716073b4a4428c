import type { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  createEc2Client,
  createStorageGatewayClient,
  createStsClient,
  ec2ClientsByRegion,
} from '../../src/aws/clients.ts';
import { readerOf } from '../../src/cli/evidence.ts';
import { DEFAULT_LOCAL_IDEMPOTENCY_TABLE } from '../../src/create-once/idempotency-table.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { SimulatedClock } from '../../src/local/clock.ts';
import { createLocalDynamoDbClient, createLocalDynamoDbServer } from '../../src/local/dynamodb-server.ts';
import { createEmulator, type Emulator, type EmulatorOptions, type FaultRule } from '../../src/local/emulator/index.ts';
import { type EngineEvent, type LocalExecutionResult, startLocalExecution } from '../../src/local/runner.ts';
import { DEFAULT_LOCAL_EVIDENCE_BUCKET } from '../../src/local/s3-server.ts';
import { createStepHandlers } from '../../src/local/step-handlers.ts';
import type { ExecutionReport, ReportDigest } from '../../src/report/execution-report.ts';
import { snapshotWorkflow } from '../../src/workflow/snapshot.ts';
import { startTestS3 } from './local-s3.ts';

/**
 * A fault rule that switches EC2's visibility lag for new snapshots off, for tests of what a rerun skips: the list
 * step sees a snapshot only once EC2 shows it. What a rerun inside the lag does is `cloud-faults.test.ts`'s.
 */
export const NO_VISIBILITY_LAG: FaultRule = { operation: 'CreateSnapshotFromVolumeRecoveryPoint', visibilityLagMs: 0 };

/**
 * The snapshot workflow's real ASL and handlers against a fresh emulator and a local S3 server of its own; `run`
 * may be called several times on it.
 */
export interface LocalWorkflow {
  emulator: Emulator;
  /** An EC2 client of the emulator, to tag, lock or inspect snapshots as a person would. */
  ec2: EC2Client;
  /** The emulator's endpoint, for clients of other Regions and accounts (copies, issue 13). */
  url: string;
  /** The client of the evidence bucket `bucket`. */
  s3: S3Client;
  bucket: string;
  /**
   * Runs one execution; `onEvent` sees each engine event as it happens (to change the emulator's faults mid-run).
   * `keepEvents: false` keeps no events in the result, for runs of tens of thousands of volumes.
   */
  run(input?: unknown, options?: RunOptions): Promise<WorkflowRun>;
  close(): Promise<void>;
}

export interface RunOptions {
  name?: string;
  onEvent?: (event: EngineEvent) => void;
  /** @default true */
  keepEvents?: boolean;
}

export interface WorkflowRun extends LocalExecutionResult {
  /** The largest input or output of any state, in bytes of JSON: what Step Functions holds to 256 KB. */
  largestStatePayloadBytes: number;
  /** The execution's output or failure cause: the summary and where the evidence is. */
  digest: ReportDigest | undefined;
  /** The whole report, read from the evidence. */
  report: ExecutionReport | undefined;
  events: EngineEvent[];
}

/**
 * Starts an emulator over `options.fleet` (the cloud's rules on unless `cloud` says otherwise) and wires the step
 * handlers to it and to an idempotency table of their own, as `run --local` does.
 */
export async function startLocalWorkflow({
  idempotency = true,
  ...options
}: EmulatorOptions & {
  /**
   * `false` wires no table: every create then asks EC2 for its point's snapshot, and none pays the table's four
   * writes (dynalite is slow), for runs of thousands of failing creates that test something else. @default true
   */
  idempotency?: boolean;
}): Promise<LocalWorkflow> {
  // As `run --local`: the emulator and handlers on the runner's clock, unless the test brings a clock of its own.
  const clock = options.now ? undefined : new SimulatedClock();
  const now = options.now ?? clock?.now ?? Date.now;
  const emulator = createEmulator({ ...options, now });
  const { url } = await emulator.listen();
  const dynamodbServer = idempotency
    ? createLocalDynamoDbServer({ tables: [DEFAULT_LOCAL_IDEMPOTENCY_TABLE] })
    : undefined;
  const dynamodb = dynamodbServer && createLocalDynamoDbClient((await dynamodbServer.listen()).url, 'us-east-1');
  const config = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const storageGateway = createStorageGatewayClient(config);
  const ec2 = createEc2Client(config);
  // Copies (issue 13): EC2 of other Regions, on the same emulator.
  const regional = ec2ClientsByRegion(config);
  const ec2In = regional.clientIn;
  const sts = createStsClient(config);
  const testS3 = await startTestS3([DEFAULT_LOCAL_EVIDENCE_BUCKET]);
  const { s3 } = testS3;
  const evidence = createEvidenceStore({ s3 });
  const reader = readerOf(evidence, testS3.url);
  const workflow = snapshotWorkflow;
  const handlers = createStepHandlers(workflow, {
    storageGateway,
    ec2,
    ec2In,
    sts,
    now,
    evidence,
    evidenceBucket: () => DEFAULT_LOCAL_EVIDENCE_BUCKET,
    ...(dynamodb && { idempotency: { dynamodb, tableName: DEFAULT_LOCAL_IDEMPOTENCY_TABLE } }),
  });
  return {
    emulator,
    ec2,
    url,
    s3,
    bucket: DEFAULT_LOCAL_EVIDENCE_BUCKET,
    async run(input = {}, options = {}) {
      const events: EngineEvent[] = [];
      let largestStatePayloadBytes = 0;
      let failStateInput: unknown;
      const onEvent = (event: EngineEvent) => {
        if (options.keepEvents !== false) events.push(event);
        if (event.type === 'StateEntered' || event.type === 'StateExited') {
          const payload = event.type === 'StateEntered' ? event.state.input : event.state.output;
          largestStatePayloadBytes = Math.max(
            largestStatePayloadBytes,
            Buffer.byteLength(JSON.stringify(payload ?? null)),
          );
        }
        if (event.type === 'StateEntered' && event.state.type === 'Fail') failStateInput = event.state.input;
        options.onEvent?.(event);
      };
      const result = await startLocalExecution({
        workflow,
        handlers,
        input,
        ...(options.name ? { name: options.name } : {}),
        ...(clock && { clock }),
        onEvent,
      }).result;
      const digest = workflow.reportOf({ ...result, failStateInput });
      const report = digest && (await reader.readReport(digest));
      return { ...result, digest, report, events, largestStatePayloadBytes };
    },
    async close() {
      storageGateway.destroy();
      ec2.destroy();
      regional.destroy();
      sts.destroy();
      dynamodb?.destroy();
      await Promise.all([emulator.close(), testS3.close(), dynamodbServer?.close()]);
    },
  };
}

/** Storage Gateway operations the emulator answered, in order (EC2 calls left out). */
export function storageGatewayCalls(emulator: Emulator): string[] {
  return emulator.calls.map((call) => call.operation).filter((op) => !['DescribeSnapshots', 'CreateTags'].includes(op));
}
