import { userInfo } from 'node:os';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { credentialsFrom } from '../sfn/client.ts';

/** Who ran the drill, as the report names them. */
export interface CallerIdentity {
  /** The IAM ARN, or a placeholder when it could not be asked. */
  arn: string;
  account?: string;
  userId?: string;
  /** The login on the machine that ran `sgw-snap`. */
  osUser: string;
  /** Set when `arn` is a placeholder: why STS was not asked or did not answer. */
  placeholderReason?: string;
}

export interface CallerLookup {
  env: NodeJS.ProcessEnv;
  /** The Step Functions endpoint is on this machine: no AWS account stands behind it. */
  local: boolean;
  /** @default an STS client configured from `env`, one attempt */
  sts?: STSClient;
}

// A drill report should not wait long on who the caller is.
const STS_TIMEOUT_MS = 3000;

/**
 * `GetCallerIdentity`, or a placeholder that says why there is none: against a local endpoint STS
 * is asked only if `AWS_ENDPOINT_URL_STS` names one.
 */
export async function lookUpCaller({ env, local, sts }: CallerLookup): Promise<CallerIdentity> {
  const osUser = safeOsUser();
  if (!sts && local && !env.AWS_ENDPOINT_URL_STS) {
    return {
      arn: 'local (no AWS account)',
      osUser,
      placeholderReason:
        'the Step Functions endpoint is local and AWS_ENDPOINT_URL_STS is not set, so STS was not asked',
    };
  }
  const endpoint = env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const client =
    sts ??
    new STSClient({
      maxAttempts: 1,
      ...(endpoint ? { endpoint } : {}),
      ...(region ? { region } : {}),
      ...credentialsFrom(env),
    });
  try {
    const out = await client.send(new GetCallerIdentityCommand({}), {
      abortSignal: AbortSignal.timeout(STS_TIMEOUT_MS),
    });
    return {
      arn: out.Arn ?? 'unknown',
      ...(out.Account ? { account: out.Account } : {}),
      ...(out.UserId ? { userId: out.UserId } : {}),
      osUser,
    };
  } catch (error) {
    const { name, message } = error as Error;
    return { arn: 'unknown', osUser, placeholderReason: `STS GetCallerIdentity failed (${name}: ${message})` };
  } finally {
    if (!sts) client.destroy();
  }
}

function safeOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
