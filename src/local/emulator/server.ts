import type { Server } from 'node:http';
import { createAnsweringServer, type HttpAnswer } from '../http/answering-server.ts';
import { callerOf } from './caller.ts';
import { answerRefusal, type DispatchDeps, type EmulatorCall, type NoAnswer } from './dispatch.ts';
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
      // Copies (issue 13): the one place a request's caller (account and Region) is read, for every operation.
      const caller = callerOf(request.headers, deps.context.caller, (key) =>
        deps.context.state.accounts.accountOfKey(key),
      );
      const { response, call } = match.route
        ? await match.route.serve(request.body, { ...deps, context: { ...deps.context, caller } })
        : answerRefusal(match.protocol, match.protocol.unknownOperation(match.target), match.target, deps);
      record(call);
      return 'drop' in response ? withhold(response) : response;
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

/** The answering server destroys the connection of a request whose answer fails: a reset at once, a hang never. */
function withhold({ drop }: NoAnswer): Promise<HttpAnswer> {
  if (drop === 'reset') return Promise.reject(new Error('connection reset by a fault rule'));
  // Never settles: the connection stays open until the client gives up or the emulator closes.
  return new Promise<HttpAnswer>(() => {});
}
