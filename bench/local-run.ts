import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionInput } from '../src/input/schema.ts';
import type { FaultRule } from '../src/local/emulator/index.ts';
import { type Fleet, generateFleet } from '../src/local/fleet.ts';
import { type EngineEvent, startLocalExecution } from '../src/local/runner.ts';
import { type LocalStack, startLocalStack } from '../src/local/stack.ts';
import type { AslDefinition } from '../src/statemachine/definition.ts';
import type { FleetShape } from './scenarios.ts';

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
  /** `StateEntered` events: what Step Functions bills as state transitions. */
  transitions: number;
  /** Task states entered or retried: each is one Lambda invocation. */
  invocations: number;
  /** Requests the emulator answered, by operation. */
  calls: Record<string, number>;
  snapshotsMade: number;
  /** Only when `measurePayloads` was set. */
  largestPayload?: LargestPayload;
  /** The last execution report a state produced (the output of the summarising Task). */
  report?: unknown;
  /** The execution's error and failure cause, if it failed. */
  error?: string;
  cause?: string;
}

export interface LocalRunOptions {
  fleetFile: string;
  /** The ASL as the bench read it once, so every run of one bench runs the same definition. */
  definition: AslDefinition;
  faults?: readonly FaultRule[];
  input?: ExecutionInput;
  /** JSON-sizes every state's input and output; it costs time, so timed runs leave it off. */
  measurePayloads?: boolean;
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

/** Runs the real ASL and handlers once against a fresh emulator, so no run sees another's snapshots. */
export async function runLocally(options: LocalRunOptions): Promise<LocalRun> {
  // An empty env: the emulator, never an endpoint the caller's shell points at.
  const stack = await startLocalStack({ fleetPath: options.fleetFile, faults: options.faults ?? [], env: {} });
  try {
    options.prepare?.(stack);
    const log = new EventTally(options.measurePayloads ?? false);
    const started = performance.now();
    const execution = startLocalExecution({
      workflow: stack.workflow,
      handlers: stack.handlers,
      definition: options.definition,
      input: options.input ?? {},
      onEvent: (event) => log.add(event),
    });
    const result = await execution.result;
    const wallMs = performance.now() - started;
    const calls: Record<string, number> = {};
    for (const { operation } of stack.emulator?.calls ?? []) calls[operation] = (calls[operation] ?? 0) + 1;
    return {
      status: result.status,
      wallMs,
      transitions: log.transitions,
      invocations: log.invocations,
      calls,
      snapshotsMade: stack.emulator?.snapshots().length ?? 0,
      ...(log.largest ? { largestPayload: log.largest } : {}),
      ...(log.report === undefined ? {} : { report: log.report }),
      ...(result.error === undefined ? {} : { error: result.error }),
      ...(result.cause === undefined ? {} : { cause: result.cause }),
    };
  } finally {
    await stack.close();
  }
}

/** Counts what the engine's event log says; state names are read from the events, never assumed. */
class EventTally {
  transitions = 0;
  invocations = 0;
  largest: LargestPayload | undefined;
  report: unknown;
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
      if (output && typeof output === 'object' && !Array.isArray(output) && 'report' in output)
        this.report = output.report;
    }
  }

  #measure(state: string, direction: LargestPayload['direction'], value: unknown): void {
    if (value === undefined) return;
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (!this.largest || bytes > this.largest.bytes) this.largest = { bytes, state, direction };
  }
}
