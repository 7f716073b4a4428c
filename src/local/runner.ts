import { randomUUID } from 'node:crypto';
import { ExecutionAbortedError, ExecutionTimeoutError, type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import {
  type AslDefinition,
  allStates,
  loadDefinition,
  resolveFunctionArns,
  taskFunctions,
} from '../statemachine/definition.ts';
import type { StepHandler, WorkflowDescriptor } from '../workflow/descriptor.ts';
import { DEFAULT_FLEET_ACCOUNT_ID } from './fleet.ts';
import { localLambdaContext } from './lambda-context.ts';

type LocalTaskHandler = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>[string];
type JsonValue = Parameters<LocalTaskHandler>[0];

/** One entry of the local engine's event log. */
export type EngineEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

/** Retry intervals run this many times faster locally: the backoff keeps its shape, seconds become 10 ms. */
export const DEFAULT_RETRY_SPEED_UP = 100;
/** Wait states pause this long locally, in milliseconds. */
export const DEFAULT_COMPRESSED_WAIT_MS = 50;
/** Lambda Tasks without `TimeoutSeconds` would get the engine's 60 s; ours all set one. */
const FALLBACK_TIMEOUT_SECONDS = 60;
export const LOCAL_REGION = 'us-east-1';
// Local executions run in the demo fleet's account, so the ARNs of its gateways lie in the
// execution's scope as they do on AWS.
export const LOCAL_ACCOUNT = DEFAULT_FLEET_ACCOUNT_ID;

export interface LocalExecutionOptions {
  /** The workflow run: its ASL and the name of its state machine. */
  workflow: Pick<WorkflowDescriptor, 'definitionUrl' | 'defaultStateMachineName'>;
  /** The real handlers, keyed by the function keys the ASL names (see `createStepHandlers`). */
  handlers: Record<string, StepHandler>;
  input: unknown;
  name?: string;
  /** @default the workflow's `defaultStateMachineName` */
  stateMachineName?: string;
  /** The ASL as already read, e.g. once for many runs. @default the workflow's, read from `definitionUrl` */
  definition?: AslDefinition;
  /** Keep the ASL's retry and wait intervals as written instead of compressing them. */
  realTime?: boolean;
  /** Called for each engine event as it happens. */
  onEvent?: (event: EngineEvent) => void;
}

export interface LocalExecutionResult {
  executionArn: string;
  name: string;
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  startDate: Date;
  stopDate: Date;
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface LocalExecution {
  executionArn: string;
  name: string;
  startDate: Date;
  result: Promise<LocalExecutionResult>;
  abort: () => void;
}

/**
 * Runs a workflow's ASL on aws-local-stepfunctions, each Lambda Task handled in-process by the real
 * middy handler. Errors keep their `name` and carry the JSON cause Lambda gives, as on AWS.
 */
export function startLocalExecution(options: LocalExecutionOptions): LocalExecution {
  const { workflow } = options;
  const stateMachineName = options.stateMachineName ?? workflow.defaultStateMachineName;
  const name = options.name ?? randomUUID();
  const executionArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${stateMachineName}:${name}`;
  const source = options.definition ?? loadDefinition(workflow.definitionUrl);
  const resolved = resolveFunctionArns(
    source,
    (functionKey) =>
      `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${workflow.defaultStateMachineName}-${functionKey}`,
  );
  const compressed = !options.realTime;
  const definition = compressed ? scaleRetryIntervals(resolved, 1 / DEFAULT_RETRY_SPEED_UP) : resolved;
  const tasks = taskFunctions(source);
  const states = allStates(definition);

  const taskResourceLocalHandlers = Object.fromEntries(
    [...tasks].map(([stateName, functionKey]) => {
      const handler = options.handlers[functionKey];
      if (!handler) throw new Error(`No local handler for function "${functionKey}" (state ${stateName})`);
      const timeout = Number(states.get(stateName)?.TimeoutSeconds ?? FALLBACK_TIMEOUT_SECONDS);
      return [stateName, invokeLocally(handler, `${stateMachineName}-${functionKey}`, timeout)];
    }),
  );
  const overrides = {
    taskResourceLocalHandlers,
    ...(compressed && {
      waitTimeOverrides: Object.fromEntries(
        [...states].filter(([, s]) => s.Type === 'Wait').map(([n]) => [n, DEFAULT_COMPRESSED_WAIT_MS]),
      ),
    }),
  };

  const startDate = new Date();
  validateOnce(resolved);
  const machine = new StateMachine(definition as ConstructorParameters<typeof StateMachine>[0], {
    validationOptions: { noValidate: true },
  });
  const execution = machine.run(options.input as JsonValue, {
    overrides,
    context: { Execution: { Id: executionArn, Name: name, StartTime: startDate.toISOString() } },
  });
  const eventsDone = options.onEvent ? forward(execution.eventLogs, options.onEvent) : Promise.resolve();

  const result = execution.result.then(
    (output): LocalExecutionResult => ({
      executionArn,
      name,
      status: 'SUCCEEDED',
      startDate,
      stopDate: new Date(),
      output,
    }),
    (failure: unknown): LocalExecutionResult => ({
      executionArn,
      name,
      startDate,
      stopDate: new Date(),
      ...describeFailure(failure),
    }),
  );
  return {
    executionArn,
    name,
    startDate,
    abort: execution.abort,
    result: result.then(async (done) => {
      await eventsDone;
      return done;
    }),
  };
}

// Definitions (as JSON) already validated in this process: validating costs tens of milliseconds a run.
const validatedDefinitions = new Set<string>();

/** Validates the definition as written; its scaled copy has fractional intervals the validator refuses. */
function validateOnce(definition: AslDefinition): void {
  const key = JSON.stringify(definition);
  if (validatedDefinitions.has(key)) return;
  new StateMachine(definition as ConstructorParameters<typeof StateMachine>[0], {
    validationOptions: { checkArn: false },
  });
  validatedDefinitions.add(key);
}

/** A copy of the definition whose retry intervals and caps are multiplied by `factor`. */
function scaleRetryIntervals(definition: AslDefinition, factor: number): AslDefinition {
  return JSON.parse(JSON.stringify(definition), (key, value: unknown) =>
    (key === 'IntervalSeconds' || key === 'MaxDelaySeconds') && typeof value === 'number' ? value * factor : value,
  ) as AslDefinition;
}

/** The error a Lambda invocation fails with: its `name`, and Lambda's JSON cause as the message. */
class LambdaFunctionError extends Error {
  override readonly name: string;

  constructor(error: unknown) {
    const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
    super(JSON.stringify({ errorType: name, errorMessage: message, trace: stack?.split('\n') ?? [] }), {
      cause: error,
    });
    this.name = name;
  }
}

function invokeLocally(handler: StepHandler, functionName: string, timeoutSeconds: number): LocalTaskHandler {
  return async (input) => {
    try {
      // JSON round trip: a Lambda receives and returns serialised payloads, never shared objects.
      const output = await handler(structuredClone(input) as never, localLambdaContext(functionName, timeoutSeconds));
      return JSON.parse(JSON.stringify(output ?? null)) as JsonValue;
    } catch (error) {
      throw new LambdaFunctionError(error);
    }
  };
}

function describeFailure(failure: unknown): Pick<LocalExecutionResult, 'status' | 'error' | 'cause'> {
  if (!(failure instanceof Error)) return { status: 'FAILED', error: 'States.Runtime', cause: String(failure) };
  if (failure instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (failure instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: 'States.Timeout' };
  const caught = failure.cause instanceof Error ? failure.cause : failure;
  return { status: 'FAILED', error: caught.name, cause: caught.message };
}

async function forward(events: AsyncGenerator<EngineEvent>, onEvent: (event: EngineEvent) => void): Promise<void> {
  for await (const event of events) onEvent(event);
}
