import type { S3Client } from '@aws-sdk/client-s3';
import { createEc2Client, createKmsClient, createStorageGatewayClient } from '../../src/aws/clients.ts';
import type { VisibilityBackoff } from '../../src/aws/ec2-visibility.ts';
import { locationOfUri } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { SimulatedClock } from '../../src/local/clock.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/local/emulator/index.ts';
import { loadFleet } from '../../src/local/fleet.ts';
import { type EngineEvent, type LocalExecutionResult, startLocalExecution } from '../../src/local/runner.ts';
import { DEFAULT_LOCAL_EVIDENCE_BUCKET } from '../../src/local/s3-server.ts';
import { DEMO_FLEET_PATH } from '../../src/local/stack.ts';
import { createStepHandlers } from '../../src/local/step-handlers.ts';
import type { ReportDigest } from '../../src/report/execution-report.ts';
import type { RestoreDigest, RestoreReport } from '../../src/restore/report.ts';
import { restoreWorkflow } from '../../src/workflow/restore.ts';
import { snapshotWorkflow } from '../../src/workflow/snapshot.ts';
import { startTestS3 } from './local-s3.ts';

/** The demo fleet's DR gateway and its address. */
export const DR_GATEWAY_ARN = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-67F8901A';
export const DR_NETWORK_INTERFACE = '10.20.0.15';

export interface RestoreRun extends LocalExecutionResult {
  digest: RestoreDigest | undefined;
  /** The whole report, read from the evidence. */
  report: RestoreReport | undefined;
  events: EngineEvent[];
}

/** Both workflows' real ASL and handlers over one emulator and one local S3 server. */
export interface LocalRestoreWorld {
  emulator: Emulator;
  s3: S3Client;
  /** Runs the snapshot workflow (waiting for completion); returns its digest, whose evidence names the manifest. */
  snapshot(input?: Record<string, unknown>): Promise<ReportDigest>;
  restore(input: unknown, options?: { name?: string; onEvent?: (event: EngineEvent) => void }): Promise<RestoreRun>;
  close(): Promise<void>;
}

/**
 * Starts the world over `options.fleet` (default: the demo fleet); `snapshotLag` replaces how the restore preflight
 * waits for snapshots EC2 does not show yet (e.g. a sleep that moves the emulator's clock instead of waiting).
 */
export async function startLocalRestoreWorld({
  snapshotLag,
  ...options
}: Partial<EmulatorOptions> & { snapshotLag?: VisibilityBackoff } = {}): Promise<LocalRestoreWorld> {
  // As `run --local`: the emulator and handlers on the runner's clock, unless the test brings a clock of its own.
  const clock = options.now ? undefined : new SimulatedClock();
  const now = options.now ?? clock?.now ?? Date.now;
  const emulator = createEmulator({ fleet: options.fleet ?? (await loadFleet(DEMO_FLEET_PATH)), ...options, now });
  const { url } = await emulator.listen();
  const config = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const storageGateway = createStorageGatewayClient(config);
  const ec2 = createEc2Client(config);
  const kms = createKmsClient(config);
  const testS3 = await startTestS3([DEFAULT_LOCAL_EVIDENCE_BUCKET]);
  const evidence = createEvidenceStore({ s3: testS3.s3 });
  const deps = {
    storageGateway,
    ec2,
    kms,
    now,
    evidence,
    evidenceBucket: () => DEFAULT_LOCAL_EVIDENCE_BUCKET,
  };
  const snapshotHandlers = createStepHandlers(snapshotWorkflow, deps);
  const restoreHandlers = createStepHandlers(restoreWorkflow, { ...deps, ...(snapshotLag ? { snapshotLag } : {}) });
  return {
    emulator,
    s3: testS3.s3,
    async snapshot(input = {}) {
      const result = await startLocalExecution({
        workflow: snapshotWorkflow,
        handlers: snapshotHandlers,
        input,
        ...(clock && { clock }),
      }).result;
      const digest = snapshotWorkflow.reportOf(result);
      if (!digest) throw new Error(`the snapshot run ended ${result.status} without a digest: ${result.cause}`);
      return digest;
    },
    async restore(input, runOptions = {}) {
      const events: EngineEvent[] = [];
      let failStateInput: unknown;
      const result = await startLocalExecution({
        workflow: restoreWorkflow,
        handlers: restoreHandlers,
        input,
        ...(clock && { clock }),
        ...(runOptions.name ? { name: runOptions.name } : {}),
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'StateEntered' && event.state.type === 'Fail') failStateInput = event.state.input;
          runOptions.onEvent?.(event);
        },
      }).result;
      const digest = restoreWorkflow.reportOf({ ...result, failStateInput });
      const location = digest?.evidence && locationOfUri(digest.evidence.report);
      const report = location ? ((await evidence.getJson(location)) as RestoreReport) : undefined;
      return { ...result, digest, report, events };
    },
    async close() {
      storageGateway.destroy();
      ec2.destroy();
      kms.destroy();
      await Promise.all([emulator.close(), testS3.close()]);
    },
  };
}
