import type { Server } from 'node:http';
import { loadDefinition } from '../../statemachine/definition.ts';
import type { WorkflowDescriptor } from '../../workflow/descriptor.ts';
import type { FaultRule } from '../emulator/faults.ts';
import { closeServer, listenOn } from '../http/answering-server.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, startLocalExecution } from '../runner.ts';
import { type LocalStack, startLocalStack } from '../stack.ts';
import { ExecutionStore } from './executions.ts';
import { createSfnServer } from './server.ts';
import { stateFactsOf } from './state-facts.ts';

export const DEFAULT_SFN_ENDPOINT_HOST = '127.0.0.1';
/** Port 0 lets the system pick a free port. */
export const DEFAULT_SFN_ENDPOINT_PORT = 0;

export interface SfnEndpointOptions {
  /** The workflow served; needed unless `stack` is given. @default the stack's */
  workflow?: WorkflowDescriptor;
  /**
   * The AWS side the executions run against, ready to use (e.g. an emulator with fault rules), with the
   * workflow its handlers belong to; the caller closes it.
   * @default a stack of `workflow` that `listen()` starts over `fleetPath`, closed by `close()`
   */
  stack?: Pick<LocalStack, 'handlers' | 'workflow'> & Partial<Pick<LocalStack, 's3Endpoint' | 'handlersOf' | 'clock'>>;
  /** Fleet of the stack started when none is given. @default the demo fleet */
  fleetPath?: string;
  /** Fault rules of the emulator of the stack started when none is given (`serve --faults`). @default [] */
  faults?: readonly FaultRule[];
  /** Environment of the stack started when none is given. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Port of the S3 server of the stack started when none is given. @default 0, any free port */
  s3Port?: number;
  /** Name of the one state machine served. @default the workflow's `defaultStateMachineName` */
  stateMachineName?: string;
  /** Keep the ASL's retry and wait intervals instead of compressing them. @default false */
  realTime?: boolean;
  now?: () => Date;
  /**
   * Restore (issue 14): more workflows served beside the first, over the same stack (one emulator, one S3), each
   * under its own state machine name: a snapshot run's snapshots can be restored there. The stack must offer
   * `handlersOf`. @default none
   */
  alsoServe?: ReadonlyArray<{ workflow: WorkflowDescriptor; stateMachineName: string }>;
}

/** A local Step Functions API over one workflow's state machine (and those of `alsoServe`). */
export interface SfnEndpoint {
  readonly stateMachineArn: string;
  /** Restore (issue 14): every state machine served, the first one's first. */
  readonly stateMachineArns: readonly string[];
  /**
   * Starts serving; resolves with the endpoint URL for `AWS_ENDPOINT_URL_SFN` and, where the stack has one, the
   * S3 endpoint of its evidence for `AWS_ENDPOINT_URL_S3`.
   */
  listen(options?: { port?: number; host?: string }): Promise<{ url: string; evidenceUrl?: string }>;
  /** Aborts running executions, stops serving, and closes the stack it started. */
  close(): Promise<void>;
}

/**
 * Builds the endpoint; nothing runs until `listen()`. Executions run the workflow's real ASL on the
 * local engine (`startLocalExecution`) with the stack's handlers, and their engine events become the history.
 * @throws {TypeError} when neither a workflow nor a stack is given, or the two disagree
 */
export function createSfnEndpoint(options: SfnEndpointOptions): SfnEndpoint {
  const workflow = options.stack?.workflow ?? options.workflow;
  if (!workflow) throw new TypeError('createSfnEndpoint needs the workflow to serve, or a stack wired to one');
  if (options.workflow && options.workflow !== workflow)
    throw new TypeError("createSfnEndpoint was given a workflow other than its stack's");
  const name = options.stateMachineName ?? workflow.defaultStateMachineName;
  const arnOf = (machineName: string) => `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${machineName}`;
  const stateMachineArn = arnOf(name);
  const served = [{ workflow, stateMachineName: name }, ...(options.alsoServe ?? [])];
  const now = options.now ?? (() => new Date());
  let server: Server | undefined;
  let ownStack: LocalStack | undefined;
  let stores: ExecutionStore[] = [];

  return {
    stateMachineArn,
    stateMachineArns: served.map((s) => arnOf(s.stateMachineName)),
    async listen({ port = DEFAULT_SFN_ENDPOINT_PORT, host = DEFAULT_SFN_ENDPOINT_HOST } = {}) {
      if (server) throw new Error('The endpoint is already listening');
      const ownStackOptions = {
        workflow,
        ...(options.fleetPath ? { fleetPath: options.fleetPath } : {}),
        ...(options.faults ? { faults: options.faults } : {}),
        ...(options.env ? { env: options.env } : {}),
        ...(options.s3Port === undefined ? {} : { s3Port: options.s3Port }),
      };
      const stack = options.stack ?? (await startLocalStack(ownStackOptions));
      if (stack !== options.stack) ownStack = stack as LocalStack;
      const machines = served.map((machine) => {
        const machineName = machine.stateMachineName;
        const handlers = machine.workflow === workflow ? stack.handlers : stack.handlersOf?.(machine.workflow);
        if (!handlers) throw new TypeError(`the stack has no handlers for the state machine ${machineName}`);
        const facts = stateFactsOf(
          loadDefinition(machine.workflow.definitionUrl),
          (key) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${machineName}-${key}`,
        );
        const machineArn = arnOf(machineName);
        const executions = new ExecutionStore({
          stateMachineArn: machineArn,
          roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${machineName}-local`,
          facts,
          now,
          start: (run) =>
            startLocalExecution({
              ...run,
              workflow: machine.workflow,
              handlers,
              stateMachineName: machineName,
              ...(options.realTime ? { realTime: true } : {}),
              ...(stack.clock ? { clock: stack.clock } : {}),
            }),
        });
        return { stateMachine: { stateMachineArn: machineArn, name: machineName, creationDate: now() }, executions };
      });
      stores = machines.map((m) => m.executions);
      const listening = createSfnServer({ machines });
      server = listening;
      const { url } = await listenOn(listening, { port, host });
      return { url, ...(stack.s3Endpoint ? { evidenceUrl: stack.s3Endpoint } : {}) };
    },
    async close() {
      await Promise.all(stores.map((store) => store.close()));
      stores = [];
      if (server) await closeServer(server);
      server = undefined;
      await ownStack?.close();
      ownStack = undefined;
    },
  };
}
