import { randomUUID } from 'node:crypto';
import { ExecutionAbortedError, ExecutionTimeoutError, type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { IDEMPOTENCY_ALREADY_IN_PROGRESS, IDEMPOTENCY_ITEM_NOT_FOUND } from '../create-once/idempotent.ts';
import {
  type AslDefinition,
  allStates,
  loadDefinition,
  resolveFunctionArns,
  taskFunctions,
} from '../statemachine/definition.ts';
import type { StepHandler, WorkflowDescriptor } from '../workflow/descriptor.ts';
import type { SimulatedClock } from './clock.ts';
import { childExecutionHandler, type DistributedMap, inlineDistributedMaps } from './distributed-map.ts';
import { ExecutionLimits } from './execution-limits.ts';
import { DEFAULT_FLEET_ACCOUNT_ID } from './fleet.ts';
import { localLambdaContext } from './lambda-context.ts';
import { stateFactsOf } from './sfn-endpoint/state-facts.ts';
import { skippedTimeObserver } from './skipped-time.ts';
import { ValidatedDefinitions } from './validated-definitions.ts';

type LocalTaskHandler = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>[string];
type JsonValue = Parameters<LocalTaskHandler>[0];

/** One entry of the local engine's event log. */
export type EngineEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

/** Retry intervals run this many times faster locally: the backoff keeps its shape, seconds become 10 ms. */
export const DEFAULT_RETRY_SPEED_UP = 100;
/**
 * Retriers that wait for another invocation to finish its work (Powertools' in-progress record of the same recovery
 * point) run only this many times faster: that work runs in real time locally, EC2's visibility lag included, and
 * 100 times faster the retrier's 12 attempts would span about 1.4 s, shorter than one create that waits for EC2.
 */
export const DEFAULT_IN_PROGRESS_RETRY_SPEED_UP = 10;
const WAITS_FOR_ANOTHER_INVOCATION: ReadonlySet<string> = new Set([
  IDEMPOTENCY_ALREADY_IN_PROGRESS,
  IDEMPOTENCY_ITEM_NOT_FOUND,
]);
/** Wait states pause this long locally, in milliseconds. */
export const DEFAULT_COMPRESSED_WAIT_MS = 50;
/** Lambda Tasks without `TimeoutSeconds` would get the engine's 60 s; ours all set one. */
const FALLBACK_TIMEOUT_SECONDS = 60;
export const LOCAL_REGION = 'us-east-1';
// Local executions run in the demo fleet's account, so the ARNs of its gateways lie in the
// execution's scope as they do on AWS.
export const LOCAL_ACCOUNT = DEFAULT_FLEET_ACCOUNT_ID;
/** What a client of a server on this machine signs with when the user has no credentials: none of ours checks them. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

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
  /** How long a Wait state pauses when intervals are compressed, in milliseconds. @default DEFAULT_COMPRESSED_WAIT_MS */
  compressedWaitMs?: number;
  /**
   * The clock the emulator and handlers of this process read: when intervals are compressed, the runner moves it by
   * the time each Wait state or retry skips (its children's included), so the world it calls lives in AWS's time.
   */
  clock?: SimulatedClock;
  /** @internal The ARN a Distributed Map gives its child execution. */
  executionArn?: string;
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
  /** The events `GetExecutionHistory` would hold for this execution on AWS, its closing event included. */
  historyEventCount: number;
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
 *
 * Around the engine it keeps what AWS enforces and the engine does not: 256 KiB per state input and output and
 * 25,000 history events per execution (`ExecutionLimits`), and a `DISTRIBUTED` Map's items as child executions of
 * their own, each with its own limits, a failed one counted against the Map's tolerated failure threshold
 * (`inlineDistributedMaps`). `onEvent` still sees the children's events, each with its item's index, as the
 * engine's inline Map gave them.
 */
export function startLocalExecution(options: LocalExecutionOptions): LocalExecution {
  const { workflow } = options;
  const stateMachineName = options.stateMachineName ?? workflow.defaultStateMachineName;
  const name = options.name ?? randomUUID();
  const executionArn =
    options.executionArn ?? `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${stateMachineName}:${name}`;
  const source = options.definition ?? loadDefinition(workflow.definitionUrl);
  const functionArnOf = (functionKey: string) =>
    `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${workflow.defaultStateMachineName}-${functionKey}`;
  // Children run their item processor as written: its Tasks keep their function keys.
  const { definition: own, maps } = inlineDistributedMaps(source);
  const resolved = resolveFunctionArns(own, functionArnOf);
  const compressed = !options.realTime;
  const definition = compressed ? scaleRetryIntervals(resolved, DEFAULT_RETRY_SPEED_UP) : resolved;
  const tasks = taskFunctions(own);
  const states = allStates(definition);

  let execution: ReturnType<StateMachine['run']> | undefined;
  const limits = new ExecutionLimits(stateFactsOf(own, functionArnOf), () => execution?.abort());
  const children = new Set<LocalExecution>();
  const startChild = (map: DistributedMap) => (input: unknown, index: number) => {
    const childName = randomUUID();
    const child = startLocalExecution({
      ...options,
      input,
      name: childName,
      definition: map.processor,
      stateMachineName,
      executionArn: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${stateMachineName}/${map.label}:${childName}`,
      ...(options.onEvent && { onEvent: childEventsTo(options.onEvent, index) }),
    });
    children.add(child);
    void child.result.then(() => children.delete(child));
    return child;
  };

  const taskResourceLocalHandlers = Object.fromEntries([
    ...[...tasks].map(([stateName, functionKey]) => {
      const handler = options.handlers[functionKey];
      if (!handler) throw new Error(`No local handler for function "${functionKey}" (state ${stateName})`);
      const timeout = Number(states.get(stateName)?.TimeoutSeconds ?? FALLBACK_TIMEOUT_SECONDS);
      return [stateName, invokeLocally(handler, `${stateMachineName}-${functionKey}`, timeout, stateName, limits)];
    }),
    ...maps.map((map) => [map.childState, childExecutionHandler(map, startChild(map)) as LocalTaskHandler]),
  ]);
  const overrides = {
    taskResourceLocalHandlers,
    ...(compressed && {
      waitTimeOverrides: Object.fromEntries(
        [...states]
          .filter(([, s]) => s.Type === 'Wait')
          .map(([n]) => [n, options.compressedWaitMs ?? DEFAULT_COMPRESSED_WAIT_MS]),
      ),
    }),
  };

  const startDate = new Date();
  validateOnce(source, functionArnOf, maps);
  const machine = new StateMachine(definition as ConstructorParameters<typeof StateMachine>[0], {
    validationOptions: { noValidate: true },
  });
  execution = machine.run(options.input as JsonValue, {
    overrides,
    context: { Execution: { Id: executionArn, Name: name, StartTime: startDate.toISOString() } },
  });
  const skipped =
    compressed && options.clock
      ? skippedTimeObserver(options.clock, states, (retrier) => retrySpeedUp(retrier, DEFAULT_RETRY_SPEED_UP))
      : undefined;
  const eventsDone = watch(execution.eventLogs, maps, limits, options.onEvent, skipped);

  const result = execution.result.then(
    (output): Omit<LocalExecutionResult, 'historyEventCount'> => ({
      executionArn,
      name,
      status: 'SUCCEEDED',
      startDate,
      stopDate: new Date(),
      output,
    }),
    (failure: unknown): Omit<LocalExecutionResult, 'historyEventCount'> => ({
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
      // A Map Run's children end with it, whatever ended the execution.
      for (const child of children) child.abort();
      await eventsDone;
      const historyEventCount = limits.eventCount + 1;
      if (!limits.failure) return { ...done, historyEventCount };
      const { output: _, ...ended } = done;
      return {
        ...ended,
        status: 'FAILED',
        error: limits.failure.error,
        cause: limits.failure.cause,
        historyEventCount,
      };
    }),
  };
}

const validatedDefinitions = new ValidatedDefinitions();

/**
 * Validates the definition as written, once (`ValidatedDefinitions`); its scaled copy has fractional intervals the
 * validator refuses. The item processors of its Distributed Maps were validated with it: their child executions do
 * not validate them again.
 */
function validateOnce(
  source: AslDefinition,
  functionArnOf: (functionKey: string) => string,
  maps: readonly DistributedMap[],
): void {
  // Keyed by the definition as written: the validator does not check the ARNs it is given.
  validatedDefinitions.ensure(source, () => {
    new StateMachine(resolveFunctionArns(source, functionArnOf) as ConstructorParameters<typeof StateMachine>[0], {
      validationOptions: { checkArn: false },
    });
  });
  for (const map of maps) validatedDefinitions.add(map.processor);
}

/** A copy of the definition whose retry intervals and caps are multiplied by `factor`. */
function scaleRetryIntervals(definition: AslDefinition, speedUp: number): AslDefinition {
  return JSON.parse(JSON.stringify(definition), (_key, value: unknown) => {
    if (!isRetrier(value)) return value;
    const factor = 1 / retrySpeedUp(value, speedUp);
    const scaled = { ...value };
    if (typeof value.IntervalSeconds === 'number') scaled.IntervalSeconds = value.IntervalSeconds * factor;
    if (typeof value.MaxDelaySeconds === 'number') scaled.MaxDelaySeconds = value.MaxDelaySeconds * factor;
    return scaled;
  }) as AslDefinition;
}

/** How many times faster a retrier's intervals run when the runner compresses them by `speedUp`. */
function retrySpeedUp(retrier: Pick<Retrier, 'ErrorEquals'>, speedUp: number): number {
  const waitsForAnother = retrier.ErrorEquals.some((name) => WAITS_FOR_ANOTHER_INVOCATION.has(name));
  return waitsForAnother ? Math.min(speedUp, DEFAULT_IN_PROGRESS_RETRY_SPEED_UP) : speedUp;
}

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: unknown;
  MaxDelaySeconds?: unknown;
}

function isRetrier(value: unknown): value is Retrier {
  return typeof value === 'object' && value !== null && Array.isArray((value as Retrier).ErrorEquals);
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

function invokeLocally(
  handler: StepHandler,
  functionName: string,
  timeoutSeconds: number,
  stateName: string,
  limits: ExecutionLimits,
): LocalTaskHandler {
  return async (input) => {
    limits.checkPayload(`the input of state '${stateName}'`, input);
    if (limits.failure) throw new Error(limits.failure.cause);
    let output: unknown;
    try {
      // JSON round trip: a Lambda receives and returns serialised payloads, never shared objects.
      output = await handler(structuredClone(input) as never, localLambdaContext(functionName, timeoutSeconds));
    } catch (error) {
      throw new LambdaFunctionError(error);
    }
    limits.checkPayload(`the result of state '${stateName}'`, output);
    return JSON.parse(JSON.stringify(output ?? null)) as JsonValue;
  };
}

function describeFailure(failure: unknown): Pick<LocalExecutionResult, 'status' | 'error' | 'cause'> {
  if (!(failure instanceof Error)) return { status: 'FAILED', error: 'States.Runtime', cause: String(failure) };
  if (failure instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (failure instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: 'States.Timeout' };
  const caught = failure.cause instanceof Error ? failure.cause : failure;
  return { status: 'FAILED', error: caught.name, cause: caught.message };
}

/**
 * Counts the execution's own events against its limits and passes them on. The Task standing for a child execution
 * is the runner's, not the ASL's: nobody sees it. A `DISTRIBUTED` Map's iterations are the children's, not this
 * execution's history (AWS writes `MapRunStarted`/`MapRunSucceeded` there, as many events as the engine's
 * `MapStateStarted`/`MapStateSucceeded`), but `onEvent` still sees them.
 */
async function watch(
  events: AsyncGenerator<EngineEvent>,
  maps: DistributedMap[],
  limits: ExecutionLimits,
  onEvent: ((event: EngineEvent) => void) | undefined,
  skipped: ((event: EngineEvent) => void) | undefined,
): Promise<void> {
  const childStates = new Set(maps.map((map) => map.childState));
  const distributed = new Set(maps.map((map) => map.name));
  for await (const event of events) {
    skipped?.(event);
    if ('state' in event && childStates.has(event.state.name)) continue;
    if (!('parentState' in event && distributed.has(event.parentState.name))) limits.record(event);
    onEvent?.(event);
  }
}

/** A child execution's state events, as the parent's inline Map would have passed them on: with its item's index. */
function childEventsTo(onEvent: (event: EngineEvent) => void, index: number): (event: EngineEvent) => void {
  return (event) => {
    if ('state' in event) onEvent({ ...event, index });
    else if (!event.type.startsWith('Execution')) onEvent(event);
  };
}
