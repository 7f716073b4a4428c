import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadDefinition } from '../../statemachine/definition.ts';
import { DEFAULT_STATE_MACHINE_NAME, LOCAL_ACCOUNT, LOCAL_REGION, startLocalExecution } from '../runner.ts';
import { type LocalStack, startLocalStack } from '../stack.ts';
import { ExecutionStore } from './executions.ts';
import { createSfnServer } from './server.ts';
import { stateFactsOf } from './state-facts.ts';

export const DEFAULT_SFN_ENDPOINT_HOST = '127.0.0.1';
/** Port 0 lets the system pick a free port. */
export const DEFAULT_SFN_ENDPOINT_PORT = 0;

export interface SfnEndpointOptions {
  /**
   * The AWS side the executions run against, ready to use (e.g. an emulator with fault rules); the
   * caller closes it. @default a stack `listen()` starts over `fleetPath`, closed by `close()`
   */
  stack?: Pick<LocalStack, 'handlers'>;
  /** Fleet of the stack started when none is given. @default the demo fleet */
  fleetPath?: string;
  /** Environment of the stack started when none is given. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Name of the one state machine served. @default DEFAULT_STATE_MACHINE_NAME */
  stateMachineName?: string;
  /** Keep the ASL's retry and wait intervals instead of compressing them. @default false */
  realTime?: boolean;
  now?: () => Date;
}

/** A local Step Functions API over the project's state machine. */
export interface SfnEndpoint {
  readonly stateMachineArn: string;
  /** Starts serving; resolves with the endpoint URL for `AWS_ENDPOINT_URL_SFN`. */
  listen(options?: { port?: number; host?: string }): Promise<{ url: string }>;
  /** Aborts running executions, stops serving, and closes the stack it started. */
  close(): Promise<void>;
}

/**
 * Builds the endpoint; nothing runs until `listen()`. Executions run the real ASL on the local engine
 * (`startLocalExecution`) with the stack's handlers, and their engine events become the history.
 */
export function createSfnEndpoint(options: SfnEndpointOptions = {}): SfnEndpoint {
  const name = options.stateMachineName ?? DEFAULT_STATE_MACHINE_NAME;
  const stateMachineArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
  const now = options.now ?? (() => new Date());
  let server: Server | undefined;
  let ownStack: LocalStack | undefined;
  let executions: ExecutionStore | undefined;

  return {
    stateMachineArn,
    async listen({ port = DEFAULT_SFN_ENDPOINT_PORT, host = DEFAULT_SFN_ENDPOINT_HOST } = {}) {
      if (server) throw new Error('The endpoint is already listening');
      const ownStackOptions = {
        ...(options.fleetPath ? { fleetPath: options.fleetPath } : {}),
        ...(options.env ? { env: options.env } : {}),
      };
      const stack = options.stack ?? (await startLocalStack(ownStackOptions));
      if (stack !== options.stack) ownStack = stack as LocalStack;
      const facts = stateFactsOf(
        loadDefinition(),
        (key) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}-${key}`,
      );
      executions = new ExecutionStore({
        stateMachineArn,
        roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}-local`,
        facts,
        now,
        start: (run) =>
          startLocalExecution({
            ...run,
            handlers: stack.handlers,
            stateMachineName: name,
            ...(options.realTime ? { realTime: true } : {}),
          }),
      });
      const listening = createSfnServer({ stateMachine: { stateMachineArn, name, creationDate: now() }, executions });
      server = listening;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(port, host, () => resolve());
      });
      const address = listening.address() as AddressInfo;
      return { url: `http://${host}:${address.port}` };
    },
    async close() {
      await executions?.close();
      const listening = server;
      server = undefined;
      if (listening) {
        listening.closeAllConnections();
        await new Promise<void>((resolve) => listening.close(() => resolve()));
      }
      await ownStack?.close();
      ownStack = undefined;
    },
  };
}
