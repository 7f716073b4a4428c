import type { HttpAnswer } from '../http/answering-server.ts';
import { roleArnOf } from './accounts.ts';
import { AwsError, requestEntityTooLarge } from './errors.ts';
import { operationParams, type QueryParams } from './query.ts';
import type { OperationContext, ServiceProtocol } from './service.ts';
import { xmlElement, xmlText } from './xml.ts';

/*
 * Copies (issue 13): STS's `AssumeRole`, over the query protocol like EC2 (a form naming its `Action`), answered in
 * STS's XML (`<AssumeRoleResponse>` holding `<AssumeRoleResult>`; errors as `<ErrorResponse>`, API Reference of the
 * AWS Security Token Service, AssumeRole and "Common Errors"). The credentials it hands out belong to the role's
 * account: a request signed with them is that account's.
 */

const STS_XML_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const MAX_REQUEST_BYTES = 1024 * 1024;
/** AssumeRole's default session duration: one hour. */
const DEFAULT_DURATION_SECONDS = 3600;

export const stsService: ServiceProtocol<QueryParams, string> = {
  targetIn: 'Action',
  maxBodyBytes: MAX_REQUEST_BYTES,
  targetOf: (operation) => operation,
  parse: operationParams,
  callTarget: () => ({ gatewayArn: undefined, volumeArn: undefined }),
  encode(operation: string, result: string, requestId: string): HttpAnswer {
    const body =
      `<${operation}Response xmlns="${STS_XML_NAMESPACE}">${xmlElement(`${operation}Result`, result)}` +
      `${xmlElement('ResponseMetadata', xmlText('RequestId', requestId))}</${operation}Response>`;
    return { status: 200, headers: { 'content-type': 'text/xml' }, body };
  },
  encodeError(error: AwsError, requestId: string): HttpAnswer {
    const detail = xmlText('Type', error.status >= 500 ? 'Receiver' : 'Sender') + xmlText('Code', error.name);
    const body = xmlElement(
      'ErrorResponse',
      xmlElement('Error', detail, xmlText('Message', error.message)),
      xmlText('RequestId', requestId),
    );
    return { status: error.status, headers: { 'content-type': 'text/xml' }, body };
  },
  unknownOperation: (operation) => new AwsError('InvalidAction', `Could not find operation ${operation}`),
  throttled: () => new AwsError('Throttling', 'Rate exceeded'),
  tooLarge: () => requestEntityTooLarge(MAX_REQUEST_BYTES),
  internal: (message) => new AwsError('InternalFailure', message),
  injected: (name = 'InternalFailure') => new AwsError(name, `${name} injected by the emulator`),
};

/** STS's `AssumeRole`: credentials of the role's account, if its trust policy names the caller's account. */
export function assumeRole(params: QueryParams, { state, now, caller }: OperationContext): string {
  const roleArn = params.RoleArn ?? '';
  const sessionName = params.RoleSessionName ?? '';
  if (!roleArn || !sessionName) {
    throw new AwsError('ValidationError', 'RoleArn and RoleSessionName are required');
  }
  const role = state.accounts.role(roleArn);
  if (!role?.trustedAccountIds.has(caller.accountId)) {
    throw new AwsError(
      'AccessDenied',
      `User: arn:aws:sts::${caller.accountId}:assumed-role/caller is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  }
  const credentials = state.accounts.issueCredentials(role.accountId);
  const seconds = Number(params.DurationSeconds ?? DEFAULT_DURATION_SECONDS);
  return (
    xmlElement(
      'Credentials',
      xmlText('AccessKeyId', credentials.accessKeyId),
      xmlText('SecretAccessKey', credentials.secretAccessKey),
      xmlText('SessionToken', credentials.sessionToken),
      xmlText('Expiration', new Date(now() + seconds * 1000).toISOString()),
    ) +
    xmlElement(
      'AssumedRoleUser',
      xmlText('AssumedRoleId', `AROA${credentials.accessKeyId.slice(4)}:${sessionName}`),
      xmlText(
        'Arn',
        `${roleArnOf(role.accountId, role.name).replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${sessionName}`,
      ),
    )
  );
}
