import type { SFNClient } from '@aws-sdk/client-sfn';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CliIo } from '../io.ts';
import { createSfnClient, isLocalEndpoint } from './client.ts';
import { StepFunctions } from './step-functions.ts';

/** What the Step Functions commands take from their surroundings; tests pass their own. */
export interface SfnCommandDeps {
  /** @default a client configured from `io.env` (`AWS_ENDPOINT_URL_SFN`, `AWS_REGION`) */
  sfnClient?: SFNClient;
  /** For the drill report's caller identity. @default a client configured from `io.env` */
  sts?: STSClient;
  /** How often `--wait` polls the history, unless `--poll-ms` is given. @default DEFAULT_POLL_MS */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** @default () => new Date() */
  now?: () => Date;
}

/** The Step Functions port of one command run, and what it knows about its endpoint. */
export interface SfnSession {
  sfn: StepFunctions;
  /** The endpoint is on this machine (`sgw-snap serve`): no AWS account behind it. */
  local: boolean;
  close(): void;
}

/** The Step Functions port of one command: the client of `deps`, or one configured from `io.env`. */
export function openSession(io: CliIo, deps: SfnCommandDeps): SfnSession {
  if (deps.sfnClient) {
    const endpoint = io.env.AWS_ENDPOINT_URL_SFN ?? 'Step Functions';
    return {
      sfn: new StepFunctions(deps.sfnClient, endpoint),
      local: isLocalEndpoint(io.env.AWS_ENDPOINT_URL_SFN),
      close() {},
    };
  }
  const { client, endpoint } = createSfnClient(io.env);
  return { sfn: new StepFunctions(client, endpoint), local: isLocalEndpoint(endpoint), close: () => client.destroy() };
}
