import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { locationOfUri } from '../src/evidence/run-evidence.ts';
import type { ExecutionInput } from '../src/input/schema.ts';
import type { FaultRule } from '../src/local/emulator/index.ts';
import { type Fleet, generateFleet } from '../src/local/fleet.ts';
import { type EngineEvent, startLocalExecution } from '../src/local/runner.ts';
import type { LocalStack } from '../src/local/stack.ts';
import type { ReportDigest } from '../src/report/execution-report.ts';
import type { AslDefinition } from '../src/statemachine/definition.ts';
import { type S3Figures, S3Tally } from './s3-tally.ts';
import type { FleetShape } from './scenarios.ts';
import { startBenchStack } from './stack.ts';

/** The biggest state input or output of a run. */
export interface LargestPayload {
  bytes: number;
  state: string;
  direction: 'input' | 'output';
}

/** What one execution on the local stack did, and how long it took. */
export interface LocalRun {
  status: string;
  /** From starting the execution to its result; the stack is started before and closed after. */
  wallMs: number;
  /** The Wait and retry intervals the runner compressed, which the emulator's clock skipped (AWS would wait them). */
  skippedMs: number;
  /** `StateEntered` events: what Step Functions bills as state transitions. */
  transitions: number;
  /** Task states entered or retried: each is one Lambda invocation. */
  invocations: number;
  /** Requests the emulator answered, by operation. */
  calls: Record<string, number>;
  snapshotsMade: number;
  /** Only when `measurePayloads` was set. */
  largestPayload?: LargestPayload;
  /**
   * Only when `measurePayloads` was set: the largest payload once a `gatewayArns` list is left out of it, the one
   * part of the state that grows with the fleet (one ARN per gateway).
   */
  largestBeyondGatewayArns?: LargestPayload;
  /** The largest `gatewayArns` list a state carried, in JSON bytes; only when `measurePayloads` was set. */
  gatewayArnsBytes?: number;
  /** The digest the summarising Task returned. */
  digest?: ReportDigest;
  /** JSON bytes of the execution's output, or characters of its failure cause. */
  resultBytes: number;
  /** The execution's error and failure cause, if it failed. */
  error?: string;
  cause?: string;
  /** Only when `evidence` was set: the S3 calls of the execution. */
  s3?: S3Figures;
  /** Only when `evidence` was set: `report.json`, read back once the execution ended. */
  report?: unknown;
}

export interface LocalRunOptions {
  fleetFile: string;
  /** The ASL as the bench read it once, so every run of one bench runs the same definition. */
  definition: AslDefinition;
  faults?: readonly FaultRule[];
  input?: ExecutionInput;
  /** JSON-sizes every state's input and output; it costs time, so timed runs leave it off. */
  measurePayloads?: boolean;
  /** Counts and times the S3 calls, and reads `report.json` back after the execution. */
  evidence?: boolean;
  /** Runs once the stack is up, before the execution starts. */
  prepare?: (stack: LocalStack) => void;
}

/** Generates the fleet and writes it where `startLocalStack` can read it. */
export async function writeFleetFile(directory: string, shape: FleetShape): Promise<{ fleet: Fleet; path: string }> {
  const fleet = generateFleet(shape);
  const path = join(directory, `fleet-${shape.gateways}x${shape.volumesPerGateway}.json`);
  await writeFile(path, JSON.stringify(fleet));
  return { fleet, path };
}

/** Runs the real ASL and handlers once against a fresh emulator and S3 server, so no run sees another's work. */
export async function runLocally(options: LocalRunOptions): Promise<LocalRun> {
  const stack = await startBenchStack({ fleetPath: options.fleetFile, faults: options.faults ?? [] });
  try {
    options.prepare?.(stack);
    const tally = options.evidence ? S3Tally.attach(stack.s3) : undefined;
    const log = new EventTally(options.measurePayloads ?? false);
    const started = performance.now();
    const execution = startLocalExecution({
      workflow: stack.workflow,
      handlers: stack.handlers,
      definition: options.definition,
      input: options.input ?? {},
      ...(stack.clock ? { clock: stack.clock } : {}),
      onEvent: (event) => log.add(event),
    });
    const result = await execution.result;
    const wallMs = performance.now() - started;
    if (tally) tally.recording = false;
    const calls: Record<string, number> = {};
    for (const { operation } of stack.emulator?.calls ?? []) calls[operation] = (calls[operation] ?? 0) + 1;
    return {
      status: result.status,
      wallMs,
      skippedMs: stack.clock?.aheadMs ?? 0,
      transitions: log.transitions,
      invocations: log.invocations,
      calls,
      snapshotsMade: stack.emulator?.snapshots().length ?? 0,
      resultBytes:
        result.cause === undefined
          ? Buffer.byteLength(JSON.stringify(result.output ?? null))
          : Buffer.byteLength(result.cause),
      ...(log.largest ? { largestPayload: log.largest } : {}),
      ...(log.largestBeyondGatewayArns ? { largestBeyondGatewayArns: log.largestBeyondGatewayArns } : {}),
      ...(options.measurePayloads ? { gatewayArnsBytes: log.gatewayArnsBytes } : {}),
      ...(log.digest === undefined ? {} : { digest: log.digest }),
      ...(result.error === undefined ? {} : { error: result.error }),
      ...(result.cause === undefined ? {} : { cause: result.cause }),
      ...(tally ? { s3: tally.figures, report: await readReport(stack, log.digest) } : {}),
    };
  } finally {
    await stack.close();
  }
}

/** `report.json`, where the digest says it is. */
async function readReport(stack: LocalStack, digest: ReportDigest | undefined): Promise<unknown> {
  const location = digest?.evidence ? locationOfUri(digest.evidence.report) : undefined;
  if (!location) return undefined;
  const { Body } = await stack.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
  return JSON.parse((await Body?.transformToString('utf8')) ?? 'null');
}

/** Counts what the engine's event log says; state names are read from the events, never assumed. */
class EventTally {
  transitions = 0;
  invocations = 0;
  largest: LargestPayload | undefined;
  largestBeyondGatewayArns: LargestPayload | undefined;
  gatewayArnsBytes = 0;
  digest: ReportDigest | undefined;
  readonly #measurePayloads: boolean;

  constructor(measurePayloads: boolean) {
    this.#measurePayloads = measurePayloads;
  }

  add(event: EngineEvent): void {
    if (event.type === 'StateEntered') {
      this.transitions += 1;
      if (event.state.type === 'Task') this.invocations += 1;
      if (this.#measurePayloads) this.#measure(event.state.name, 'input', event.state.input);
    } else if (event.type === 'StateRetried') {
      if (event.state.type === 'Task') this.invocations += 1;
    } else if (event.type === 'StateExited') {
      const output = event.state.output;
      if (this.#measurePayloads) this.#measure(event.state.name, 'output', output);
      if (output && typeof output === 'object' && !Array.isArray(output) && 'digest' in output)
        this.digest = output.digest as unknown as ReportDigest;
    }
  }

  #measure(state: string, direction: LargestPayload['direction'], value: unknown): void {
    if (value === undefined) return;
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (!this.largest || bytes > this.largest.bytes) this.largest = { bytes, state, direction };
    let beyond = bytes;
    if (value && typeof value === 'object' && 'gatewayArns' in value && Array.isArray(value.gatewayArns)) {
      const { gatewayArns, ...rest } = value;
      this.gatewayArnsBytes = Math.max(this.gatewayArnsBytes, Buffer.byteLength(JSON.stringify(gatewayArns)));
      beyond = Buffer.byteLength(JSON.stringify(rest));
    }
    if (!this.largestBeyondGatewayArns || beyond > this.largestBeyondGatewayArns.bytes)
      this.largestBeyondGatewayArns = { bytes: beyond, state, direction };
  }
}
