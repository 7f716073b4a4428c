import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readBody } from './read-body.ts';

/** What a local AWS endpoint answers to one request. */
export interface HttpAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/**
 * An HTTP server that reads each request whole and writes the answer `answer` gives. A request
 * aborted while it is read, or an answer that throws, only costs its own socket.
 */
export function createAnsweringServer(
  answer: (headers: IncomingHttpHeaders, body: string) => Promise<HttpAnswer>,
): Server {
  return createServer((req, res) => {
    readBody(req)
      .then((body) => answer(req.headers, body))
      .then(({ status, headers, body }) => {
        if (res.destroyed) return;
        res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      })
      .catch(() => res.destroy());
  });
}
