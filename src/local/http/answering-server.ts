import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body.ts';
import type { HttpHead, HttpRequest } from './router.ts';

/** What a local AWS endpoint answers to one request. */
export interface HttpAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** How large a body a request may carry, and the answer to one that carries more. */
export interface BodyLimit {
  readonly maxBytes: number;
  refuse(): HttpAnswer;
}

/** Where a local endpoint listens. */
export interface ListenOptions {
  port: number;
  host: string;
}

/**
 * An HTTP server that reads each request whole and writes the answer `answer` gives. A body over the
 * limit `limitOf` gives for the request's head is refused without being buffered. A request aborted while
 * it is read, or an answer that throws, only costs its own socket.
 */
export function createAnsweringServer(
  answer: (request: HttpRequest) => Promise<HttpAnswer>,
  limitOf: (head: HttpHead) => BodyLimit,
): Server {
  return createServer((req, res) => {
    const head: HttpHead = { method: req.method ?? '', path: pathOf(req.url), headers: req.headers };
    const limit = limitOf(head);
    readBody(req, limit.maxBytes)
      .then((body) => (body === undefined ? limit.refuse() : answer({ ...head, body })))
      .then(({ status, headers, body }) => {
        if (res.destroyed) return;
        res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      })
      .catch(() => res.destroy());
  });
}

/**
 * Starts `server` listening: every local endpoint starts this way.
 * @returns the endpoint URL, e.g. `http://127.0.0.1:4599`
 * @throws the listen error, e.g. `EADDRINUSE`
 */
export async function listenOn(server: Server, { port, host }: ListenOptions): Promise<{ url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { url: `http://${host}:${(server.address() as AddressInfo).port}` };
}

/** Stops `server` and drops its open connections; does nothing when it is not listening. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  server.closeAllConnections();
  await closed;
}

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0] ?? '/';
}
