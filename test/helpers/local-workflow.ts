import { createEc2Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/local/emulator/index.ts';
import { type EngineEvent, type LocalExecutionResult, startLocalExecution } from '../../src/local/runner.ts';
import { createStepHandlers } from '../../src/local/step-handlers.ts';
import type { ExecutionReport } from '../../src/report/execution-report.ts';
import { snapshotWorkflow } from '../../src/workflow/snapshot.ts';

/** The snapshot workflow's real ASL and handlers against a fresh emulator; `run` may be called several times on it. */
export interface LocalWorkflow {
  emulator: Emulator;
  run(input?: unknown): Promise<WorkflowRun>;
  close(): Promise<void>;
}

export interface WorkflowRun extends LocalExecutionResult {
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
  const workflow = snapshotWorkflow;
  const handlers = createStepHandlers(workflow, { storageGateway, ec2, now: options.now ?? Date.now });
  return {
    emulator,
    async run(input = {}) {
      const events: EngineEvent[] = [];
      const result = await startLocalExecution({ workflow, handlers, input, onEvent: (event) => events.push(event) })
        .result;
      const failState = events.find((e) => e.type === 'StateEntered' && e.state.type === 'Fail');
      const failStateInput = failState?.type === 'StateEntered' ? failState.state.input : undefined;
      return { ...result, report: workflow.reportOf({ ...result, failStateInput }), events };
    },
    async close() {
      storageGateway.destroy();
      ec2.destroy();
      await emulator.close();
    },
  };
}

/** Storage Gateway operations the emulator answered, in order (EC2 calls left out). */
export function storageGatewayCalls(emulator: Emulator): string[] {
  return emulator.calls.map((call) => call.operation).filter((op) => !['DescribeSnapshots', 'CreateTags'].includes(op));
}
