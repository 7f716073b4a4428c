import type { Server } from 'node:http';
import { createAnsweringServer } from '../http/answering-server.ts';
import { type DispatchDeps, dispatch, type EmulatorCall } from './dispatch.ts';
import { ec2Service } from './ec2-protocol.ts';
import type { RawRequest } from './service.ts';
import { storageGatewayService } from './storage-gateway-protocol.ts';

/**
 * One HTTP server for both services, so `AWS_ENDPOINT_URL_STORAGE_GATEWAY` and
 * `AWS_ENDPOINT_URL_EC2` can name the same port: a request with `X-Amz-Target` is
 * Storage Gateway, a form-encoded one is EC2.
 */
export function createEmulatorServer(deps: DispatchDeps, record: (call: EmulatorCall) => void): Server {
  // dispatch() answers every failure of a request itself.
  return createAnsweringServer(async (headers, body) => {
    const request: RawRequest = { headers, body };
    const { response, call } = isEc2(request)
      ? await dispatch(ec2Service, request, deps)
      : await dispatch(storageGatewayService, request, deps);
    record(call);
    return response;
  });
}

function isEc2({ headers, body }: RawRequest): boolean {
  if (headers['x-amz-target'] !== undefined) return false;
  return (headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') || /(^|&)Action=/.test(body);
}
