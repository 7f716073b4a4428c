import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.ts';
import { EVIDENCE_BUCKET_VARIABLE } from '../../evidence/config.ts';
import { formatCsv } from '../../evidence/csv.ts';
import { executionEvidence } from '../../evidence/keys.ts';
import { locationOfUri, s3Uri } from '../../evidence/run-evidence.ts';
import { createEvidenceStore } from '../../evidence/store.ts';
import { LOCAL_REGION } from '../../local/runner.ts';
import {
  createLocalS3Client,
  createLocalS3Server,
  DEFAULT_LOCAL_EVIDENCE_BUCKET,
  defaultS3Directory,
} from '../../local/s3-server.ts';
import type { ExecutionReport } from '../../report/execution-report.ts';
import { REPORT_COLUMNS, reportRows } from '../../report/rows.ts';
import { snapshotWorkflow } from '../../workflow/snapshot.ts';
import { runCommand } from '../command-runner.ts';
import { renderDrillHtml, renderDrillMarkdown } from '../drill-report/index.ts';
import { createEvidenceReader, type EvidenceReader, readerOf } from '../evidence.ts';
import { assertWritablePath, type CliIo, processIo } from '../io.ts';
import {
  addStateMachineOptions,
  DEFAULT_STATE_MACHINE,
  durationMs,
  oneOf,
  type StateMachineFlags,
  stateMachineOf,
} from '../options.ts';
import { reportOfExecution } from '../outcome.ts';
import { isLocalEndpoint } from '../sfn/client.ts';
import { drillReportOf } from '../sfn/drill.ts';
import { openSession, type SfnCommandDeps } from '../sfn/session.ts';
import { type ExecutionDescription, executionArnOf } from '../sfn/step-functions.ts';

const FORMATS = ['json', 'md', 'html', 'csv'] as const;
type Format = (typeof FORMATS)[number];

export interface ReportOptions {
  stateMachine: string;
  format?: Format;
  output?: string;
  rpoTarget?: number;
  local?: boolean;
}

/** `sgw-snap report EXECUTION`: an execution's whole report, from its evidence in S3. */
export function registerReportCommand(program: Command, io: CliIo = processIo, deps: SfnCommandDeps = {}): void {
  addStateMachineOptions(
    program
      .command('report')
      .description(
        "Fetch an execution's whole report from its evidence: JSON, a drill report (Markdown or HTML) or CSV",
      )
      .argument(
        '<execution>',
        'execution ARN, name of an execution of --state-machine, or the s3:// URI of its evidence',
      ),
    'state machine of an execution given by name',
  )
    .option('--format <format>', `${FORMATS.join(', ')} (any case); default: from --output, else json`, oneOf(FORMATS))
    .option('--output <file>', 'write to FILE instead of stdout')
    .option(
      '--rpo-target <duration>',
      'md/html: the agreed RPO (e.g. 4h); a volume over it fails the drill',
      durationMs,
    )
    .option('--local', 'an execution of `sgw-snap run --local`: read the evidence this machine keeps')
    .action(async (execution: string, options: ReportOptions & StateMachineFlags) => {
      const stateMachine = stateMachineOf(options, io.env);
      process.exitCode = await fetchReport(execution, { ...options, stateMachine }, io, deps);
    });
}

/** Runs `sgw-snap report`; exits 0 once the report is written, whatever the execution's outcome. */
export function fetchReport(
  execution: string,
  options: ReportOptions,
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<ExitCode> {
  return runCommand(io, 'report', async () => {
    const format = options.format ?? formatOf(options.output);
    if (options.output) await assertWritablePath(options.output, '--output');
    const { report, description, close } = await (options.local || execution.startsWith('s3://')
      ? fromEvidence(execution, options, io, deps)
      : fromStepFunctions(execution, options, io, deps));
    try {
      const text =
        format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : format === 'csv'
            ? formatCsv(REPORT_COLUMNS, reportRows(report))
            : await drillText(format, report, description, options, io, deps);
      if (options.output) await writeOutput(options.output, text);
      else io.stdout.write(text);
      if (options.output) io.stderr.write(`report written to ${options.output}\n`);
      return ExitCode.Succeeded;
    } finally {
      close();
    }
  });
}

interface Fetched {
  report: ExecutionReport;
  description: ExecutionDescription;
  close(): void;
}

/** By Step Functions: the execution's digest says where its evidence is. */
async function fromStepFunctions(
  execution: string,
  options: ReportOptions,
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<Fetched> {
  const session = openSession(io, deps);
  try {
    const executionArn = execution.startsWith('arn:')
      ? execution
      : executionArnOf(await session.sfn.stateMachineArn(options.stateMachine), execution);
    const description = await session.sfn.describeExecution(executionArn);
    const digest = reportOfExecution({ description }, snapshotWorkflow);
    if (!digest)
      throw new UsageError(
        `${description.name} is ${description.status} and has no report${description.error ? ` (${description.error})` : ''}`,
      );
    return { report: await session.evidence.readReport(digest), description, close: () => session.close() };
  } catch (error) {
    session.close();
    throw error;
  }
}

/** Straight from the evidence: an `s3://` URI, or with `--local` this machine's local S3 data. */
async function fromEvidence(
  execution: string,
  options: ReportOptions,
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<Fetched> {
  const { reader, uri } = options.local
    ? await localEvidence(execution, options, io)
    : remoteEvidence(execution, io, deps);
  try {
    const report = await reader.readReportAt(uri);
    const description: ExecutionDescription = {
      executionArn: report.execution.id,
      stateMachineArn: '',
      name: report.execution.name,
      // Not asked of Step Functions: the report's own outcome stands for the execution's.
      status: report.summary.failed > 0 ? 'FAILED' : 'SUCCEEDED',
      startDate: new Date(report.execution.startTime),
      ...(report.reportedAt ? { stopDate: new Date(report.reportedAt) } : {}),
      ...(report.options ? { input: JSON.stringify(report.options) } : {}),
    };
    return { report, description, close: () => reader.close() };
  } catch (error) {
    reader.close();
    throw error;
  }
}

function remoteEvidence(execution: string, io: CliIo, deps: SfnCommandDeps): { reader: EvidenceReader; uri: string } {
  const uri = execution.endsWith('/') ? `${execution}report.json` : execution;
  if (!locationOfUri(uri)) throw new UsageError(`${execution} is not an s3:// URI`);
  return { reader: deps.evidence ?? createEvidenceReader(io.env), uri };
}

/** The evidence `sgw-snap run --local` keeps on this machine, read through its own S3 server for the time being. */
async function localEvidence(
  executionName: string,
  options: ReportOptions,
  io: CliIo,
): Promise<{ reader: EvidenceReader; uri: string }> {
  const server = createLocalS3Server({ directory: defaultS3Directory(io.env), buckets: [] });
  const { url } = await server.listen();
  const s3 = createLocalS3Client(url, LOCAL_REGION);
  const reader = readerOf(createEvidenceStore({ s3 }), url, () => {
    s3.destroy();
    void server.close();
  });
  const bucket = io.env[EVIDENCE_BUCKET_VARIABLE] || DEFAULT_LOCAL_EVIDENCE_BUCKET;
  // `run --local` runs under the workflow's own name; any other --state-machine is taken as given.
  const stateMachineName =
    options.stateMachine === DEFAULT_STATE_MACHINE ? snapshotWorkflow.defaultStateMachineName : options.stateMachine;
  return { reader, uri: s3Uri(executionEvidence(bucket, { stateMachineName, executionName }).report) };
}

function formatOf(output: string | undefined): Format {
  const extension = output?.toLowerCase().match(/\.(json|md|markdown|html?|csv)$/)?.[1];
  if (extension === 'markdown') return 'md';
  if (extension === 'htm') return 'html';
  return (extension as Format | undefined) ?? 'json';
}

async function drillText(
  format: 'md' | 'html',
  report: ExecutionReport,
  execution: ExecutionDescription,
  options: ReportOptions,
  io: CliIo,
  deps: SfnCommandDeps,
): Promise<string> {
  const local = Boolean(options.local) || isLocalEndpoint(io.env.AWS_ENDPOINT_URL_SFN ?? io.env.AWS_ENDPOINT_URL_S3);
  const drill = await drillReportOf(execution, report, { rpoTargetMs: options.rpoTarget, local }, io, deps);
  return format === 'html' ? renderDrillHtml(drill) : renderDrillMarkdown(drill);
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, 'utf8');
  } catch (error) {
    throw new UsageError(`--output: cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
