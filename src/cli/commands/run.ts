import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.ts';
import { createEvidenceStore } from '../../evidence/store.ts';
import { startLocalExecution } from '../../local/runner.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { reportFiguresLine } from '../../monitoring/figures.ts';
import { snapshotWorkflow } from '../../workflow/snapshot.ts';
import { runCommand } from '../command-runner.ts';
import { readerOf } from '../evidence.ts';
import { type CliIo, processIo, readInputOption } from '../io.ts';
import { asFleetUsageError, executionName, readFaultsOption } from '../options.ts';
import { failureLine } from '../outcome.ts';
import { EngineStepReader, tellStep } from '../progress.ts';
import { ProgressView } from '../progress-view.ts';
import { renderReport } from '../render-report.ts';
import { stylerFor, styleStatus } from '../style.ts';

export interface RunOptions {
  local?: boolean;
  input?: string;
  fleet?: string;
  faults?: string;
  name?: string;
  json?: boolean;
  verbose?: boolean;
  realTime?: boolean;
}

/** What `run` takes from its surroundings; tests pass their own. */
export interface RunDeps {
  /** @default startLocalStack */
  startStack?: typeof startLocalStack;
}

/** `sgw-snap run --local`: the real state machine and handlers on this machine. */
export function registerRunCommand(program: Command, io: CliIo = processIo, deps: RunDeps = {}): void {
  program
    .command('run')
    .description('Run the workflow on this machine: the real ASL and handlers on a local engine')
    .option('--local', 'run locally (required; to run on AWS use `sgw-snap start`)')
    .option('--input <json|@file>', 'execution input as JSON, or @path to a JSON file', '{}')
    .option('--fleet <file>', 'fleet file for the Storage Gateway emulator (default: the demo fleet)')
    .option('--faults <file>', 'fault file: fault rules (a JSON list) applied over the fleet')
    .option('--name <name>', 'execution name (1 to 80 characters, as Step Functions takes them)', executionName)
    .option('--json', 'print only the execution report as JSON; stderr carries errors only')
    .option('--verbose', 'tell every step on stderr, not only failures and retries')
    .option('--real-time', 'keep retry and wait intervals as written instead of compressing them')
    .action(async (options: RunOptions) => {
      process.exitCode = await runLocally(options, io, deps);
    });
}

/** Runs one local execution and prints it; returns the exit code. */
export function runLocally(options: RunOptions, io: CliIo, deps: RunDeps = {}): Promise<ExitCode> {
  return runCommand(io, 'run', () => runOnce(options, io, deps));
}

async function runOnce(options: RunOptions, io: CliIo, deps: RunDeps): Promise<ExitCode> {
  let stack: LocalStack | undefined;
  try {
    if (!options.local) throw new UsageError('run needs --local; to run the deployed workflow use `sgw-snap start`');
    const input = await readInputOption(options.input);
    const faults = await readFaultsOption(options.faults);
    const workflow = snapshotWorkflow;
    stack = await (deps.startStack ?? startLocalStack)({
      workflow,
      ...(options.fleet ? { fleetPath: options.fleet } : {}),
      faults,
      env: io.env,
    }).catch((error: unknown) => {
      throw asFleetUsageError(error);
    });
    let failStateInput: unknown;
    const startMs = Date.now();
    const view = options.json
      ? undefined
      : new ProgressView({ io, workflow, startMs, ...(options.verbose ? { verbose: true } : {}) });
    const steps = new EngineStepReader(workflow);
    const execution = startLocalExecution({
      workflow,
      handlers: stack.handlers,
      input,
      ...(options.name ? { name: options.name } : {}),
      ...(options.realTime ? { realTime: true } : {}),
      ...(stack.clock ? { clock: stack.clock } : {}),
      onEvent: (event) => {
        if (event.type === 'StateEntered' && event.state.type === 'Fail') failStateInput = event.state.input;
        const step = steps.read(event);
        if (step) view?.step(step, tellStep(workflow, step));
      },
    });
    view?.note(`execution ${execution.name} started`);
    const result = await execution.result.catch((error: unknown) => {
      view?.abandon();
      throw error;
    });
    const seconds = ((result.stopDate.getTime() - result.startDate.getTime()) / 1000).toFixed(1);
    const digest = workflow.reportOf({ ...result, failStateInput });
    const evidence = readerOf(createEvidenceStore({ s3: stack.s3 }), stack.s3Endpoint);
    const report = digest && (await evidence.readReport(digest));
    if (options.json) {
      io.stdout.write(`${JSON.stringify(report ?? { error: result.error, cause: result.cause }, null, 2)}\n`);
    } else {
      view?.finish(digest);
      const style = stylerFor(io.stdout, io.env);
      io.stdout.write(`Execution ${result.name} ${styleStatus(style, result.status)} in ${seconds} s\n\n`);
      io.stdout.write(report ? renderReport(report) : `${failureLine(result)}\n`);
      // Monitoring (issue 16): the figures the deployed metrics carry.
      const figures = report && reportFiguresLine(report);
      if (figures) io.stdout.write(`\n${figures}\n`);
    }
    return result.status === 'SUCCEEDED' ? ExitCode.Succeeded : ExitCode.Failed;
  } finally {
    await stack?.close();
  }
}
