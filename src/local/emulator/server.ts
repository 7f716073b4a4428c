import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBody } from '../http/read-body.ts';
import { dispatch, type DispatchDeps, type EmulatorCall } from './dispatch.ts';
import { ec2Service } from './ec2-protocol.ts';
import type { RawRequest } from './service.ts';
import { storageGatewayService } from './storage-gateway-protocol.ts';

/**
 * One HTTP server for both services, so `AWS_ENDPOINT_URL_STORAGE_GATEWAY` and
 * `AWS_ENDPOINT_URL_EC2` can name the same port: a request with `X-Amz-Target` is
 * Storage Gateway, a form-encoded one is EC2.
 */
export function createEmulatorServer(deps: DispatchDeps, record: (call: EmulatorCall) => void): Server {
  return createServer((req, res) => {
    // dispatch() answers every failure itself; this only guards against the socket.
    serve(req, res, deps, record).catch(() => res.destroy());
  });
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  deps: DispatchDeps,
  record: (call: EmulatorCall) => void,
): Promise<void> {
  let body: string;
  try {
    body = await readBody(req);
  } catch {
    res.destroy();
    return;
  }
  const request: RawRequest = { headers: req.headers, body };
  const { response, call } = isEc2(request)
    ? await dispatch(ec2Service, request, deps)
    : await dispatch(storageGatewayService, request, deps);
  record(call);
  if (res.destroyed) return;
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  res.end(response.body);
}

function isEc2({ headers, body }: RawRequest): boolean {
  if (headers['x-amz-target'] !== undefined) return false;
  return (headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') || /(^|&)Action=/.test(body);
}
