import type { IncomingMessage } from 'node:http';

/**
 * The whole request body as UTF-8, or `undefined` as soon as it is known to be over `maxBytes`: from then
 * on the rest is read and dropped, never buffered, so the request can still be answered. Rejects when the
 * request is aborted while it is read.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number(req.headers['content-length'] ?? 0) > maxBytes;
    if (over) resolve(undefined);
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      over = true;
      chunks.length = 0;
      resolve(undefined);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('The request was aborted while its body was read'));
    });
  });
}
