import type { HttpAnswer } from '../http/answering-server.ts';
import { AwsError, requestEntityTooLarge } from './errors.ts';
import type { CallTarget } from './faults.ts';
import type { ServiceProtocol } from './service.ts';

// Prefix of `X-Amz-Target` for Storage Gateway 2013-06-30.
const STORAGE_GATEWAY_TARGET_PREFIX = 'StorageGateway_20130630.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
// Storage Gateway publishes no API request-size quota, so the emulator takes the 1 MiB that Step Functions
// publishes for its API requests ("Maximum request size" in
// https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html): far above our largest request
// (CreateSnapshotFromVolumeRecoveryPoint with 50 tags of 128 + 256 characters is under 40 KB), and small
// enough that a hostile body cannot swell the emulator.
const MAX_REQUEST_BYTES = 1024 * 1024;

// The error codes Storage Gateway puts in `error.errorCode` of its server-side errors.
const ERROR_CODES: Readonly<Record<string, string>> = {
  InternalServerError: 'InternalError',
  ServiceUnavailableError: 'ServiceUnavailable',
  InvalidGatewayRequestException: 'InvalidGateway',
};

type JsonObject = Readonly<Record<string, unknown>>;

/** Storage Gateway over awsJson1_1: `X-Amz-Target` names the operation, the body is JSON. */
export const storageGatewayService: ServiceProtocol<JsonObject, JsonObject> = {
  targetIn: 'x-amz-target',
  maxBodyBytes: MAX_REQUEST_BYTES,
  targetOf: (operation) => `${STORAGE_GATEWAY_TARGET_PREFIX}${operation}`,
  parse: parseBody,
  callTarget(params: JsonObject): CallTarget {
    const volumeArn = typeof params.VolumeARN === 'string' ? params.VolumeARN : undefined;
    const gatewayArn =
      typeof params.GatewayARN === 'string' ? params.GatewayARN : volumeArn?.replace(/\/volume\/[^/]*$/, '');
    return { gatewayArn, volumeArn };
  },
  encode(_operation: string, result: JsonObject, requestId: string): HttpAnswer {
    return { status: 200, headers: headers(requestId), body: JSON.stringify(result) };
  },
  encodeError(error: AwsError, requestId: string): HttpAnswer {
    const detail = error.errorCode === undefined ? {} : { error: { errorCode: error.errorCode, errorDetails: {} } };
    return {
      status: error.status,
      headers: { ...headers(requestId), 'x-amzn-ErrorType': error.name },
      body: JSON.stringify({ __type: error.name, message: error.message, ...detail }),
    };
  },
  unknownOperation: (operation) => new AwsError('UnknownOperationException', `Unknown operation ${operation}`),
  throttled: () => new AwsError('ThrottlingException', 'Rate exceeded'),
  tooLarge: () => requestEntityTooLarge(MAX_REQUEST_BYTES),
  internal: (message) => new AwsError('InternalServerError', message, ERROR_CODES.InternalServerError),
  injected(name = 'InternalServerError') {
    return new AwsError(name, `${name} injected by the emulator`, ERROR_CODES[name]);
  },
};

function parseBody(body: string): JsonObject {
  let value: unknown;
  try {
    value = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.');
  }
  return value as JsonObject;
}

function headers(requestId: string): Record<string, string> {
  return { 'content-type': CONTENT_TYPE, 'x-amzn-RequestId': requestId };
}
