import type { SFNClient } from '@aws-sdk/client-sfn';
import type { STSClient } from '@aws-sdk/client-sts';
import { createEvidenceReader, type EvidenceReader } from '../evidence.ts';
import type { CliIo, SignalSource } from '../io.ts';
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
  /** Where `start --wait` hears Ctrl-C (SIGINT). @default process */
  signals?: SignalSource;
  /** @default () => new Date() */
  now?: () => Date;
  /** Where executions' whole reports are read. @default a reader configured from `io.env` (`AWS_ENDPOINT_URL_S3`) */
  evidence?: EvidenceReader;
}

/** The Step Functions port of one command run, and what it knows about its endpoint. */
export interface SfnSession {
  sfn: StepFunctions;
  /** Where the executions' whole reports are read. */
  evidence: EvidenceReader;
  /** The endpoint is on this machine (`sgw-snap serve`): no AWS account behind it. */
  local: boolean;
  close(): void;
}

/** The Step Functions port of one command: the client of `deps`, or one configured from `io.env`. */
export function openSession(io: CliIo, deps: SfnCommandDeps): SfnSession {
  if (deps.sfnClient) {
    const endpoint = io.env.AWS_ENDPOINT_URL_SFN ?? 'Step Functions';
    const evidence = deps.evidence ?? createEvidenceReader(io.env);
    return {
      sfn: new StepFunctions(deps.sfnClient, endpoint),
      evidence,
      local: isLocalEndpoint(io.env.AWS_ENDPOINT_URL_SFN),
      close: () => evidence.close(),
    };
  }
  const { client, endpoint } = createSfnClient(io.env);
  const evidence = deps.evidence ?? createEvidenceReader(io.env);
  return {
    sfn: new StepFunctions(client, endpoint),
    evidence,
    local: isLocalEndpoint(endpoint),
    close: () => {
      client.destroy();
      evidence.close();
    },
  };
}
