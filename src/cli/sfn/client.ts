import { SFNClient } from '@aws-sdk/client-sfn';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/runner.ts';

/**
 * The SFN client of a command, configured from `env` once: `AWS_ENDPOINT_URL_SFN` (or
 * `AWS_ENDPOINT_URL`), `AWS_REGION` and access keys when set, the SDK's own chain otherwise. An endpoint on
 * this machine (`sgw-snap serve`) needs no Region or credentials of the user's: placeholders are supplied.
 */
export function createSfnClient(env: NodeJS.ProcessEnv): { client: SFNClient; endpoint: string } {
  const endpoint = env.AWS_ENDPOINT_URL_SFN ?? env.AWS_ENDPOINT_URL;
  const local = isLocalEndpoint(endpoint);
  const region = regionFrom(env, local);
  const credentials = credentialsFrom(env);
  const client = new SFNClient({
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    ...(credentials.credentials || !local ? credentials : { credentials: LOCAL_CREDENTIALS }),
  });
  return { client, endpoint: endpoint ?? `Step Functions${region ? ` in ${region}` : ''}` };
}

/** `AWS_REGION` (or `AWS_DEFAULT_REGION`); for an endpoint on this machine, the local Region when neither is set. */
export function regionFrom(env: NodeJS.ProcessEnv, local: boolean): string | undefined {
  return env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (local ? LOCAL_REGION : undefined);
}

/** Whether the endpoint is on this machine: then no real AWS account is behind it. */
export function isLocalEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    const { hostname } = new URL(endpoint);
    return hostname === 'localhost' || hostname === '::1' || hostname === '[::1]' || hostname.startsWith('127.');
  } catch {
    return false;
  }
}

/** Access keys from `env`, so a command uses the environment it was given rather than the process's. */
export function credentialsFrom(env: NodeJS.ProcessEnv): {
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
} {
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = env;
  if (!accessKeyId || !secretAccessKey) return {};
  return { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } };
}
