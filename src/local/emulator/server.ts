import type { Server } from 'node:http';
import { createAnsweringServer } from '../http/answering-server.ts';
import { answerUnknown, type DispatchDeps, type EmulatorCall } from './dispatch.ts';
import { routeEmulatorRequest } from './routes.ts';

/**
 * One HTTP server for both services, so `AWS_ENDPOINT_URL_STORAGE_GATEWAY` and `AWS_ENDPOINT_URL_EC2`
 * can name the same port; `EMULATOR_ROUTES` says which operation a request is.
 */
export function createEmulatorServer(deps: DispatchDeps, record: (call: EmulatorCall) => void): Server {
  // Routes and answerUnknown answer every failure of a request themselves.
  return createAnsweringServer(async (request) => {
    const match = routeEmulatorRequest(request);
    const { response, call } = match.route
      ? await match.route.serve(request.body, deps)
      : answerUnknown(match.protocol, match.target, deps);
    record(call);
    return response;
  });
}
