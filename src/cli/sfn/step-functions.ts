import {
  DescribeExecutionCommand,
  type ExecutionStatus,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { StateMachineNotFoundError } from '../../errors.ts';
import { classifySfnError } from '../classify-error.ts';

/** An execution as `DescribeExecution` tells it. */
export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** One row of `ListExecutions`. */
export type ExecutionSummary = Pick<
  ExecutionDescription,
  'executionArn' | 'name' | 'status' | 'startDate' | 'stopDate'
>;

/** Largest page `GetExecutionHistory` and `ListExecutions` give. */
export const MAX_PAGE_SIZE = 1000;

/**
 * The Step Functions calls `sgw-snap` makes. Every failure comes out named by `classifySfnError`:
 * the message says which call failed and which permission it needs.
 */
export class StepFunctions {
  readonly #client: SFNClient;
  readonly #endpoint: string;

  /** @param endpoint how to name the endpoint in messages, e.g. its URL or `Step Functions in eu-west-1` */
  constructor(client: SFNClient, endpoint: string) {
    this.#client = client;
    this.#endpoint = endpoint;
  }

  /**
   * The ARN of the state machine `ref` names: an ARN is taken as it is, a name is looked up
   * through every page of `ListStateMachines`.
   * @throws {StateMachineNotFoundError}
   */
  async stateMachineArn(ref: string): Promise<string> {
    if (ref.startsWith('arn:')) return ref;
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#call('ListStateMachines', () =>
        this.#client.send(new ListStateMachinesCommand({ ...(nextToken ? { nextToken } : {}) })),
      );
      for (const machine of page.stateMachines ?? []) {
        if (machine.name === ref && machine.stateMachineArn) return machine.stateMachineArn;
        if (machine.name) seen.push(machine.name);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    const known = seen.length
      ? `; state machines here: ${seen.slice(0, 10).join(', ')}${seen.length > 10 ? ', …' : ''}`
      : '; there are none here';
    throw new StateMachineNotFoundError(
      'ListStateMachines',
      `No state machine is named ${ref} at ${this.#endpoint}${known}. Pass --state-machine NAME|ARN.`,
    );
  }

  /** The ARN of the execution `ref` names: an ARN as it is, a name as an execution of the state machine `stateMachine`. */
  async executionArn(ref: string, stateMachine: string): Promise<string> {
    return ref.startsWith('arn:') ? ref : executionArnOf(await this.stateMachineArn(stateMachine), ref);
  }

  async startExecution(request: {
    stateMachineArn: string;
    input: string;
    name?: string;
  }): Promise<{ executionArn: string; startDate: Date }> {
    const out = await this.#call('StartExecution', () => this.#client.send(new StartExecutionCommand(request)));
    return { executionArn: out.executionArn ?? '', startDate: out.startDate ?? new Date(0) };
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    const out = await this.#call('DescribeExecution', () =>
      this.#client.send(new DescribeExecutionCommand({ executionArn })),
    );
    return {
      executionArn: out.executionArn ?? executionArn,
      stateMachineArn: out.stateMachineArn ?? '',
      name: out.name ?? executionArn.slice(executionArn.lastIndexOf(':') + 1),
      status: out.status ?? 'RUNNING',
      startDate: out.startDate ?? new Date(0),
      ...(out.stopDate ? { stopDate: out.stopDate } : {}),
      ...(out.input === undefined ? {} : { input: out.input }),
      ...(out.output === undefined ? {} : { output: out.output }),
      ...(out.error === undefined ? {} : { error: out.error }),
      ...(out.cause === undefined ? {} : { cause: out.cause }),
    };
  }

  /** `StopExecution`: aborts a running execution; a closed one is left as it is. */
  async stopExecution(request: { executionArn: string; error?: string; cause?: string }): Promise<Date> {
    const out = await this.#call('StopExecution', () => this.#client.send(new StopExecutionCommand(request)));
    return out.stopDate ?? new Date(0);
  }

  /**
   * `RedriveExecution`: runs a failed, timed-out or aborted execution again from where it failed.
   * @throws {ExecutionNotRedrivableError} when it is running, succeeded, or older than 14 days
   */
  async redriveExecution(executionArn: string): Promise<Date> {
    const out = await this.#call('RedriveExecution', () =>
      this.#client.send(new RedriveExecutionCommand({ executionArn })),
    );
    return out.redriveDate ?? new Date(0);
  }

  async historyPage(request: {
    executionArn: string;
    reverseOrder?: boolean;
    nextToken?: string;
    maxResults?: number;
  }): Promise<{ events: HistoryEvent[]; nextToken?: string }> {
    // Inputs and outputs are the progress lines and the whole report of a failure: asked for, not left to the default.
    const out = await this.#call('GetExecutionHistory', () =>
      this.#client.send(
        new GetExecutionHistoryCommand({ maxResults: MAX_PAGE_SIZE, includeExecutionData: true, ...request }),
      ),
    );
    return { events: out.events ?? [], ...(out.nextToken ? { nextToken: out.nextToken } : {}) };
  }

  /**
   * The newest executions first, at most `max`, paging as needed: those of a state machine, or the
   * child executions of a Distributed Map run.
   */
  async listExecutions(
    request: ({ stateMachineArn: string } | { mapRunArn: string }) & { statusFilter?: ExecutionStatus; max: number },
  ): Promise<ExecutionSummary[]> {
    const found: ExecutionSummary[] = [];
    const of = 'mapRunArn' in request ? { mapRunArn: request.mapRunArn } : { stateMachineArn: request.stateMachineArn };
    let nextToken: string | undefined;
    do {
      const page = await this.#call('ListExecutions', () =>
        this.#client.send(
          new ListExecutionsCommand({
            ...of,
            maxResults: Math.min(MAX_PAGE_SIZE, request.max - found.length),
            ...(request.statusFilter ? { statusFilter: request.statusFilter } : {}),
            ...(nextToken ? { nextToken } : {}),
          }),
        ),
      );
      for (const item of page.executions ?? []) {
        found.push({
          executionArn: item.executionArn ?? '',
          name: item.name ?? '',
          status: item.status ?? 'RUNNING',
          startDate: item.startDate ?? new Date(0),
          ...(item.stopDate ? { stopDate: item.stopDate } : {}),
        });
      }
      nextToken = page.nextToken;
    } while (nextToken && found.length < request.max);
    return found.slice(0, request.max);
  }

  async #call<T>(call: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw classifySfnError(call, error, this.#endpoint);
    }
  }
}

/** `arn:…:stateMachine:sm` and `name` → `arn:…:execution:sm:name` */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
