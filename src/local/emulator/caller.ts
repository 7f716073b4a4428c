import type { IncomingHttpHeaders } from 'node:http';

/** Who sent a request, as AWS tells it: the account its credentials belong to and the Region it signed for. */
export interface Caller {
  readonly accountId: string;
  readonly region: string;
}

// SigV4: `Authorization: AWS4-HMAC-SHA256 Credential=<access key>/<date>/<region>/<service>/aws4_request, ...`
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html, "credential scope").
const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/[^/,\s]+\/aws4_request/;

/**
 * The caller of a request: the Region of its SigV4 credential scope and the account of its access key. An unsigned
 * request (`curl`), a request signed for no Region, and an access key no account of the fleet holds are the fleet's
 * own account and Region, so callers that know nothing of accounts and Regions keep working.
 * @param accountOfKey the account an access key belongs to, if the fleet names it
 */
export function callerOf(
  headers: IncomingHttpHeaders,
  home: Caller,
  accountOfKey: (accessKeyId: string) => string | undefined = () => undefined,
): Caller {
  const authorization = headers.authorization;
  const match = CREDENTIAL.exec(Array.isArray(authorization) ? (authorization[0] ?? '') : (authorization ?? ''));
  if (!match?.[1] || !match[2]) return home;
  return { accountId: accountOfKey(match[1]) ?? home.accountId, region: match[2] };
}
