import { NoSuchKey, type S3Client } from '@aws-sdk/client-s3';

/**
 * The counterfactual of the evidence section: `PutObject` and `GetObject` answered from a map before any request is
 * built, so a run pays for building its evidence but not for the S3 calls. Its wall time, against the same run on the
 * S3 server, is the time the calls add. Only the two operations the evidence store makes are answered.
 */
export function answerS3InMemory(client: S3Client): void {
  const objects = new Map<string, Buffer>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const { Bucket, Key, Body } = args.input as { Bucket?: string; Key?: string; Body?: unknown };
      const at = `${Bucket}/${Key}`;
      const $metadata = { httpStatusCode: 200 };
      if (context.commandName === 'PutObjectCommand') {
        objects.set(at, Buffer.isBuffer(Body) ? Body : Buffer.from(String(Body)));
        return { output: { $metadata }, response: {} } as Awaited<ReturnType<typeof next>>;
      }
      if (context.commandName === 'GetObjectCommand') {
        const body = objects.get(at);
        if (!body) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
        const Body = { transformToString: async (encoding?: BufferEncoding) => body.toString(encoding ?? 'utf8') };
        return { output: { $metadata, Body, ContentLength: body.byteLength }, response: {} } as Awaited<
          ReturnType<typeof next>
        >;
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchS3InMemory', priority: 'high' },
  );
}
