import type { S3Client } from '@aws-sdk/client-s3';
import { EVIDENCE_FILES } from '../src/evidence/keys.ts';

/** What an execution's evidence objects are, by key: a gateway's account, or one of the execution's three files. */
export type EvidenceKind = 'gateway objects' | 'report.json' | 'manifest.json' | 'report.csv' | 'other';
export const EVIDENCE_KINDS: readonly EvidenceKind[] = [
  'gateway objects',
  'report.json',
  'manifest.json',
  'report.csv',
  'other',
];

/** Bytes and objects written (PutObject bodies) of one kind. */
export interface WrittenTally {
  objects: number;
  bytes: number;
}

/** Every S3 call a client made while recording. */
export interface S3Figures {
  /** Calls by operation (`PutObject`, `GetObject`, …), failed ones included. */
  calls: Record<string, number>;
  /** Calls that ended in an error (e.g. `NoSuchKey`), by operation. */
  failedCalls: Record<string, number>;
  written: Partial<Record<EvidenceKind, WrittenTally>>;
  /** GetObject bodies, by their `Content-Length`. */
  bytesRead: number;
  /** Wall time during which at least one call was in flight: concurrent calls count once. */
  busyMs: number;
  /** The calls' durations added up. */
  callMs: number;
}

/** The kind of an evidence object, from its key. */
export function evidenceKindOf(key: string): EvidenceKind {
  if (key.includes(`/${EVIDENCE_FILES.gatewaysFolder}`)) return 'gateway objects';
  for (const kind of ['report.json', 'manifest.json', 'report.csv'] as const) if (key.endsWith(`/${kind}`)) return kind;
  return 'other';
}

/**
 * Counts and times every call of an S3 client from an `initialize` middleware: from the command being sent to its
 * response (serialising, signing, the HTTP round trip, the server's work; a GetObject's body is read after).
 */
export class S3Tally {
  recording = true;
  readonly #figures: S3Figures = { calls: {}, failedCalls: {}, written: {}, bytesRead: 0, busyMs: 0, callMs: 0 };
  #inFlight = 0;
  #busySince = 0;

  /** Adds the middleware to `client`; every call from then on is tallied while `recording`. */
  static attach(client: S3Client): S3Tally {
    const tally = new S3Tally();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (!tally.recording) return next(args);
        const operation = context.commandName?.replace(/Command$/, '') ?? 'unknown';
        const input = args.input as { Key?: unknown; Body?: unknown };
        const done = tally.#begin(operation, input);
        try {
          const result = await next(args);
          done(result.output as { ContentLength?: number });
          return result;
        } catch (error) {
          done(undefined);
          throw error;
        }
      },
      { step: 'initialize', name: 'benchS3Tally' },
    );
    return tally;
  }

  get figures(): S3Figures {
    return structuredClone(this.#figures);
  }

  #begin(operation: string, input: { Key?: unknown; Body?: unknown }): (output?: { ContentLength?: number }) => void {
    const figures = this.#figures;
    const started = performance.now();
    if (this.#inFlight++ === 0) this.#busySince = started;
    figures.calls[operation] = (figures.calls[operation] ?? 0) + 1;
    return (output) => {
      const ended = performance.now();
      figures.callMs += ended - started;
      if (--this.#inFlight === 0) figures.busyMs += ended - this.#busySince;
      if (!output) {
        figures.failedCalls[operation] = (figures.failedCalls[operation] ?? 0) + 1;
        return;
      }
      if (operation === 'GetObject') figures.bytesRead += output.ContentLength ?? 0;
      if (operation === 'PutObject' && typeof input.Key === 'string') {
        const kind = evidenceKindOf(input.Key);
        const written = figures.written[kind] ?? { objects: 0, bytes: 0 };
        figures.written[kind] = { objects: written.objects + 1, bytes: written.bytes + bodyBytes(input.Body) };
      }
    };
  }
}

function bodyBytes(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return 0;
}
