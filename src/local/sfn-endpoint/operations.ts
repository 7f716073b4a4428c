import * as z from 'zod';
import { paginate } from '../http/paging.ts';
import { SfnApiError, SfnErrorType } from './errors.ts';
import type { ExecutionRecord, ExecutionStore } from './executions.ts';
import type { HistoryEventRecord } from './history.ts';

/** A state machine the endpoint serves. */
export interface ServedStateMachine {
  stateMachineArn: string;
  name: string;
  creationDate: Date;
}

/** A state machine the endpoint serves, and its executions. */
export interface ServedMachine {
  stateMachine: ServedStateMachine;
  executions: ExecutionStore;
}

/** The state machines the endpoint serves (the snapshot workflow's and the restore workflow's), over one stack. */
export interface OperationDeps {
  machines: readonly ServedMachine[];
}

/** A Step Functions operation: its request schema and what it answers. */
interface Operation<S extends z.ZodType> {
  request: S;
  handle(request: z.output<S>, deps: OperationDeps): Record<string, unknown>;
}

/** Page size when a request gives no `maxResults`, and the largest it may ask for, as on AWS. */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;
const paging = { maxResults: z.number().int().optional(), nextToken: z.string().optional() };

function operation<S extends z.ZodType>(op: Operation<S>): Operation<S> {
  return op;
}

/** The subset of the Step Functions API that `sgw-snap` and the AWS CLI use against this endpoint. */
export const OPERATIONS = {
  ListStateMachines: operation({
    request: z.object(paging),
    handle(request, { machines }) {
      const { page, nextToken } = pageOf(
        machines.map((m) => m.stateMachine),
        'ListStateMachines',
        request,
      );
      return {
        stateMachines: page.map((machine) => ({
          stateMachineArn: machine.stateMachineArn,
          name: machine.name,
          type: 'STANDARD',
          creationDate: epochSeconds(machine.creationDate),
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },
  }),
  StartExecution: operation({
    request: z.object({
      stateMachineArn: z.string(),
      name: z.string().optional(),
      input: z.string().optional(),
      traceHeader: z.string().optional(),
    }),
    handle(request, deps) {
      const { executions } = requireStateMachine(request.stateMachineArn, deps);
      const record = executions.start({
        ...(request.name === undefined ? {} : { name: request.name }),
        ...(request.input === undefined ? {} : { input: request.input }),
      });
      return { executionArn: record.executionArn, startDate: epochSeconds(record.startDate) };
    },
  }),
  DescribeExecution: operation({
    request: z.object({ executionArn: z.string() }),
    handle(request, deps) {
      const record = executionsOf(request.executionArn, deps).get(request.executionArn);
      return {
        ...listItem(record),
        input: record.input,
        inputDetails: { included: true },
        ...(record.output === undefined ? {} : { output: record.output, outputDetails: { included: true } }),
        ...(record.error === undefined ? {} : { error: record.error }),
        ...(record.cause === undefined ? {} : { cause: record.cause }),
        redriveCount: record.redriveCount,
        ...(record.redriveDate ? { redriveDate: epochSeconds(record.redriveDate) } : {}),
      };
    },
  }),
  GetExecutionHistory: operation({
    request: z.object({
      executionArn: z.string(),
      reverseOrder: z.boolean().optional(),
      includeExecutionData: z.boolean().optional(),
      ...paging,
    }),
    handle(request, deps) {
      const record = executionsOf(request.executionArn, deps).get(request.executionArn);
      const events = request.reverseOrder ? [...record.history].reverse() : [...record.history];
      const scope = `GetExecutionHistory:${record.executionArn}:${request.reverseOrder ? 'reverse' : 'forward'}`;
      const { page, nextToken } = pageOf(events, scope, request);
      return {
        events: page.map((event) => historyEventJson(event, request.includeExecutionData ?? true)),
        ...(nextToken ? { nextToken } : {}),
      };
    },
  }),
  ListExecutions: operation({
    request: z.object({
      stateMachineArn: z.string().optional(),
      mapRunArn: z.string().optional(),
      statusFilter: z.enum(STATUSES).optional(),
      ...paging,
    }),
    handle(request, deps) {
      if (request.mapRunArn !== undefined) {
        if (request.stateMachineArn !== undefined) {
          throw new SfnApiError(
            SfnErrorType.ValidationException,
            'Must provide a StateMachine ARN or MapRun ARN, not both',
          );
        }
        if (!request.mapRunArn.startsWith('arn:'))
          throw new SfnApiError(SfnErrorType.InvalidArn, `Invalid Arn: '${request.mapRunArn}'`);
        // The local engine runs the Distributed Map inline: a map run here has no child executions.
        return { executions: [] };
      }
      if (request.stateMachineArn === undefined) {
        throw new SfnApiError(SfnErrorType.ValidationException, 'Must provide a StateMachine ARN or MapRun ARN');
      }
      const { executions } = requireStateMachine(request.stateMachineArn, deps);
      const matching = request.statusFilter === 'PENDING_REDRIVE' ? [] : executions.list(request.statusFilter);
      const scope = `ListExecutions:${request.statusFilter ?? ''}`;
      const { page, nextToken } = pageOf(matching, scope, request);
      return { executions: page.map(listItem), ...(nextToken ? { nextToken } : {}) };
    },
  }),
  StopExecution: operation({
    request: z.object({ executionArn: z.string(), error: z.string().optional(), cause: z.string().optional() }),
    handle(request, deps) {
      const stopDate = executionsOf(request.executionArn, deps).stop(request.executionArn, {
        ...(request.error === undefined ? {} : { error: request.error }),
        ...(request.cause === undefined ? {} : { cause: request.cause }),
      });
      return { stopDate: epochSeconds(stopDate) };
    },
  }),
  RedriveExecution: operation({
    request: z.object({ executionArn: z.string(), clientToken: z.string().optional() }),
    handle(request, deps) {
      return { redriveDate: epochSeconds(executionsOf(request.executionArn, deps).redrive(request.executionArn)) };
    },
  }),
} as const;

export type OperationName = keyof typeof OPERATIONS;

/**
 * One page of `items` from where `nextToken` says; a token is only valid for the listing (`scope`) that issued it.
 * @throws {SfnApiError} `InvalidToken`, or `ValidationException` for a bad `maxResults`
 */
function pageOf<T>(
  items: readonly T[],
  scope: string,
  request: { maxResults?: number; nextToken?: string },
): { page: T[]; nextToken?: string } {
  const size = request.maxResults || DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new SfnApiError(
      SfnErrorType.ValidationException,
      `1 validation error detected: Value '${size}' at 'maxResults' failed to satisfy constraint: ` +
        `Member must have value less than or equal to ${MAX_PAGE_SIZE}`,
    );
  }
  const page = paginate(items, size, request.nextToken, scope);
  if (!page) throw new SfnApiError(SfnErrorType.InvalidToken, `Invalid Token: '${request.nextToken}'`);
  return page.next === undefined ? { page: page.items } : { page: page.items, nextToken: page.next };
}

/** awsJson1_0 writes timestamps as epoch seconds. */
function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

function listItem(record: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    ...(record.stopDate ? { stopDate: epochSeconds(record.stopDate) } : {}),
  };
}

const EXECUTION_DATA_FIELDS = new Set(['input', 'output', 'inputDetails', 'outputDetails']);

function historyEventJson(event: HistoryEventRecord, includeExecutionData: boolean): Record<string, unknown> {
  const json: Record<string, unknown> = {
    timestamp: epochSeconds(event.timestamp),
    type: event.type,
    id: event.id,
    previousEventId: event.previousEventId,
  };
  if (event.detailsKey && event.details) {
    json[event.detailsKey] = includeExecutionData
      ? event.details
      : Object.fromEntries(Object.entries(event.details).filter(([key]) => !EXECUTION_DATA_FIELDS.has(key)));
  }
  return json;
}

function requireStateMachine(arn: string, { machines }: OperationDeps): ServedMachine {
  if (!arn.startsWith('arn:')) throw new SfnApiError(SfnErrorType.InvalidArn, `Invalid Arn: '${arn}'`);
  const machine = machines.find((m) => m.stateMachine.stateMachineArn === arn);
  if (!machine) {
    throw new SfnApiError(SfnErrorType.StateMachineDoesNotExist, `State Machine Does Not Exist: '${arn}'`);
  }
  return machine;
}

/**
 * The executions of the state machine an execution ARN names (`execution:<state machine>:<name>`, or a Map Run
 * child's `execution:<state machine>/<label>:<id>`); one no served machine owns is asked of the first, which
 * answers it does not exist.
 */
function executionsOf(arn: string, { machines }: OperationDeps): ExecutionStore {
  const match = /^arn:[^:]+:states:[^:]*:[^:]*:execution:([^:/]+)(\/[^:]+)?:[^:]+$/.exec(arn);
  if (!match) throw new SfnApiError(SfnErrorType.InvalidArn, `Invalid Arn: '${arn}'`);
  const owner = machines.find((m) => m.stateMachine.name === match[1]) ?? machines[0];
  if (!owner) throw new SfnApiError(SfnErrorType.ExecutionDoesNotExist, `Execution Does Not Exist: '${arn}'`);
  return owner.executions;
}
