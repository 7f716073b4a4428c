import type { Server } from 'node:http';
import { createAnsweringServer } from '../http/answering-server.ts';
import { answerRefusal, type DispatchDeps, type EmulatorCall } from './dispatch.ts';
import { emulatorRouter } from './routes.ts';

/**
 * One HTTP server for both services, so `AWS_ENDPOINT_URL_STORAGE_GATEWAY` and `AWS_ENDPOINT_URL_EC2`
 * can name the same port; `EMULATOR_ROUTES` says which operation a request is.
 */
export function createEmulatorServer(deps: DispatchDeps, record: (call: EmulatorCall) => void): Server {
  // Routes and answerRefusal answer every failure of a request themselves.
  return createAnsweringServer(
    async (request) => {
      const match = emulatorRouter.match(request);
      const { response, call } = match.route
        ? await match.route.serve(request.body, deps)
        : answerRefusal(match.protocol, match.protocol.unknownOperation(match.target), match.target, deps);
      record(call);
      return response;
    },
    (head) => {
      const protocol = emulatorRouter.protocolOf(head);
      return {
        maxBytes: protocol.maxBodyBytes,
        refuse() {
          const target = String(head.headers['x-amz-target'] ?? '');
          const { response, call } = answerRefusal(protocol, protocol.tooLarge(), target, deps);
          record(call);
          return response;
        },
      };
    },
  );
}
