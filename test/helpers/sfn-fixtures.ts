import {
  type DescribeExecutionCommandOutput,
  ListStateMachinesCommand,
  type ListStateMachinesCommandOutput,
} from '@aws-sdk/client-sfn';
import { type EvidenceReader, readerOf } from '../../src/cli/evidence.ts';
import { runEvidence } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { DEFAULT_LOCAL_EVIDENCE_BUCKET } from '../../src/local/s3-server.ts';
import { digestOf, type ExecutionReport, type ReportDigest } from '../../src/report/execution-report.ts';
import { startTestS3 } from './local-s3.ts';

/** The deployed state machine and one drill execution, as the CLI tests meet them. */
export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:sgw-recovery-snapshots-dev';
export const EXECUTION_ARN = 'arn:aws:states:eu-west-1:123456789012:execution:sgw-recovery-snapshots-dev:drill';
export const GATEWAY_ARN = 'arn:aws:storagegateway:eu-west-1:123456789012:gateway/sgw-12A3456B';
export const START = new Date('2025-01-15T12:00:00Z');

/** `ListStateMachines` as it answers with the drill's state machine, the one `sgw-snap` starts by default. */
const DRILL_STATE_MACHINES: Pick<ListStateMachinesCommandOutput, 'stateMachines'> = {
  stateMachines: [
    { name: 'sgw-recovery-snapshots-dev', stateMachineArn: STATE_MACHINE_ARN, type: 'STANDARD', creationDate: START },
  ],
};

/** Makes `sfn` answer `ListStateMachines` with the drill's state machine. */
export function listsDrillStateMachine(sfn: {
  on(command: typeof ListStateMachinesCommand): { resolves(output: object): unknown };
}): void {
  sfn.on(ListStateMachinesCommand).resolves(DRILL_STATE_MACHINES);
}

/** `DescribeExecution` of the drill, ended `SUCCEEDED` with input `{}`, unless `fields` say otherwise. */
export function describedDrill(
  fields: Partial<DescribeExecutionCommandOutput> = {},
): Partial<DescribeExecutionCommandOutput> {
  return {
    executionArn: EXECUTION_ARN,
    stateMachineArn: STATE_MACHINE_ARN,
    name: 'drill',
    status: 'SUCCEEDED',
    startDate: START,
    input: '{}',
    ...fields,
  };
}

/** Executions' evidence in a real S3 server (s3rver, in a temporary directory), and the reader the CLI reads it with. */
export interface TestEvidence {
  /** For `SfnCommandDeps.evidence`. */
  reader: EvidenceReader;
  /** The S3 server's endpoint, for `AWS_ENDPOINT_URL_S3`. */
  url: string;
  /**
   * Writes `report` as its execution's evidence (`report.json`, `manifest.json`, `report.csv`), as `Summarise` does;
   * answers the report as written, with its locations, and its digest, the execution's output.
   */
  write(report: ExecutionReport): Promise<{ report: ExecutionReport; digest: ReportDigest }>;
  close(): Promise<void>;
}

/** Starts an S3 server with the local evidence bucket. */
export async function startTestEvidence(): Promise<TestEvidence> {
  const s3 = await startTestS3([DEFAULT_LOCAL_EVIDENCE_BUCKET]);
  const store = createEvidenceStore({ s3: s3.s3 });
  return {
    reader: readerOf(store, s3.url),
    url: s3.url,
    async write(report) {
      const run = runEvidence(store, DEFAULT_LOCAL_EVIDENCE_BUCKET, report.execution.id);
      const written = { ...report, evidence: run.locations };
      await run.writeReport(written);
      return { report: written, digest: digestOf(written) };
    },
    close: () => s3.close(),
  };
}
