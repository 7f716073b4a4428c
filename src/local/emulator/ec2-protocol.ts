import type { HttpAnswer } from '../http/answering-server.ts';
import { AwsError, requestEntityTooLarge } from './errors.ts';
import { operationParams, type QueryParams } from './query.ts';
import type { ServiceProtocol } from './service.ts';
import { xmlElement, xmlText } from './xml.ts';

const EC2_XML_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
// EC2 publishes no request-size quota and no error code for a body too large among the errors every
// action can return (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html); the
// emulator refuses past the 1 MiB Step Functions publishes, in EC2's XML error shape.
const MAX_REQUEST_BYTES = 1024 * 1024;

/** EC2 over the query protocol: a form-encoded POST naming its `Action`, answered in XML. */
export const ec2Service: ServiceProtocol<QueryParams, string> = {
  targetIn: 'Action',
  maxBodyBytes: MAX_REQUEST_BYTES,
  targetOf: (operation) => operation,
  parse: operationParams,
  // EC2 calls name no gateway or volume; rules on them filter by operation, and by the snapshot a call names.
  callTarget: (params) => ({ gatewayArn: undefined, volumeArn: undefined, snapshotId: params.SnapshotId }),
  encode(operation: string, result: string, requestId: string): HttpAnswer {
    const element = `${operation}Response`;
    const open = `<${element} xmlns="${EC2_XML_NAMESPACE}">`;
    const body = `${XML_DECLARATION}${open}${xmlText('requestId', requestId)}${result}</${element}>`;
    return { status: 200, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body };
  },
  encodeError(error: AwsError, requestId: string): HttpAnswer {
    const errors = xmlElement(
      'Errors',
      xmlElement('Error', xmlText('Code', error.name), xmlText('Message', error.message)),
    );
    const body = XML_DECLARATION + xmlElement('Response', errors, xmlText('RequestID', requestId));
    return { status: error.status, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body };
  },
  unknownOperation: (operation) =>
    new AwsError('InvalidAction', `The action ${operation} is not valid for this web service.`),
  throttled: () => new AwsError('RequestLimitExceeded', 'Request limit exceeded.'),
  tooLarge: () => requestEntityTooLarge(MAX_REQUEST_BYTES),
  internal: (message) => new AwsError('InternalError', message),
  injected: (name = 'InternalError') => new AwsError(name, `${name} injected by the emulator`),
};
