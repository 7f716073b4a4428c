import type { S3Client } from '@aws-sdk/client-s3';
import { createEc2Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { readerOf } from '../../src/cli/evidence.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/local/emulator/index.ts';
import { type EngineEvent, type LocalExecutionResult, startLocalExecution } from '../../src/local/runner.ts';
import { DEFAULT_LOCAL_EVIDENCE_BUCKET } from '../../src/local/s3-server.ts';
import { createStepHandlers } from '../../src/local/step-handlers.ts';
import type { ExecutionReport, ReportDigest } from '../../src/report/execution-report.ts';
import { snapshotWorkflow } from '../../src/workflow/snapshot.ts';
import { startTestS3 } from './local-s3.ts';

/**
 * The snapshot workflow's real ASL and handlers against a fresh emulator and a local S3 server of its own; `run`
 * may be called several times on it.
 */
export interface LocalWorkflow {
  emulator: Emulator;
  /** The client of the evidence bucket `bucket`. */
  s3: S3Client;
  bucket: string;
  run(input?: unknown): Promise<WorkflowRun>;
  close(): Promise<void>;
}

export interface WorkflowRun extends LocalExecutionResult {
  /** The execution's output or failure cause: the summary and where the evidence is. */
  digest: ReportDigest | undefined;
  /** The whole report, read from the evidence. */
  report: ExecutionReport | undefined;
  events: EngineEvent[];
}

/** Starts an emulator over `options.fleet` and wires the step handlers to it. */
export async function startLocalWorkflow(options: EmulatorOptions): Promise<LocalWorkflow> {
  const emulator = createEmulator(options);
  const { url } = await emulator.listen();
  const config = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const storageGateway = createStorageGatewayClient(config);
  const ec2 = createEc2Client(config);
  const testS3 = await startTestS3([DEFAULT_LOCAL_EVIDENCE_BUCKET]);
  const { s3 } = testS3;
  const evidence = createEvidenceStore({ s3 });
  const reader = readerOf(evidence, testS3.url);
  const workflow = snapshotWorkflow;
  const handlers = createStepHandlers(workflow, {
    storageGateway,
    ec2,
    now: options.now ?? Date.now,
    evidence,
    evidenceBucket: () => DEFAULT_LOCAL_EVIDENCE_BUCKET,
  });
  return {
    emulator,
    s3,
    bucket: DEFAULT_LOCAL_EVIDENCE_BUCKET,
    async run(input = {}) {
      const events: EngineEvent[] = [];
      const result = await startLocalExecution({ workflow, handlers, input, onEvent: (event) => events.push(event) })
        .result;
      const failState = events.find((e) => e.type === 'StateEntered' && e.state.type === 'Fail');
      const failStateInput = failState?.type === 'StateEntered' ? failState.state.input : undefined;
      const digest = workflow.reportOf({ ...result, failStateInput });
      return { ...result, digest, report: digest && (await reader.readReport(digest)), events };
    },
    async close() {
      storageGateway.destroy();
      ec2.destroy();
      await Promise.all([emulator.close(), testS3.close()]);
    },
  };
}

/** Storage Gateway operations the emulator answered, in order (EC2 calls left out). */
export function storageGatewayCalls(emulator: Emulator): string[] {
  return emulator.calls.map((call) => call.operation).filter((op) => !['DescribeSnapshots', 'CreateTags'].includes(op));
}
