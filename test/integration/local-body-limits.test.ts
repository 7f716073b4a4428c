import { request } from 'node:http';
import { ListGatewaysCommand } from '@aws-sdk/client-storage-gateway';
import { type RunningEmulator, startEmulator, useSfnEndpoint } from '../helpers/emulator.ts';

/** Every local endpoint takes request bodies of at most 1 MiB. */
const LIMIT = 1024 * 1024;
const OVERSIZED = 8 * LIMIT;
const CHUNK = Buffer.alloc(64 * 1024, 'a');

interface RawAnswer {
  status: number | undefined;
  body: string;
}

/**
 * POSTs `prefix` followed by filler up to `size` bytes through a raw HTTP request, with a content-length or
 * chunked, and resolves with the answer as soon as it arrives, even while the body is still being sent.
 */
function postRaw(
  url: string,
  headers: Record<string, string>,
  size: number,
  chunked: boolean,
  prefix = '',
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: chunked ? headers : { ...headers, 'content-length': String(size) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    let left = size - Buffer.byteLength(prefix);
    req.write(prefix);
    const pump = (): void => {
      while (left > 0) {
        const part = CHUNK.subarray(0, Math.min(left, CHUNK.length));
        left -= part.length;
        if (!req.write(part)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('request bodies over the limit', () => {
  describe('the emulator', () => {
    let running: RunningEmulator;

    beforeEach(async () => {
      running = await startEmulator();
    });

    afterEach(async () => {
      await running.stop();
    });

    const sgwHeaders = {
      'x-amz-target': 'StorageGateway_20130630.ListGateways',
      'content-type': 'application/x-amz-json-1.1',
    };

    it.each([
      ['with a content-length', false],
      ['chunked', true],
    ])(
      'refuses a Storage Gateway body %s with a 413 RequestEntityTooLargeException, then keeps serving',
      async (_case, chunked) => {
        // Act
        const answer = await postRaw(running.url, sgwHeaders, OVERSIZED, chunked);
        const after = await running.sgw.send(new ListGatewaysCommand({}));

        // Assess
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.body)).toEqual({
          __type: 'RequestEntityTooLargeException',
          message: expect.any(String),
        });
        expect(running.emulator.calls[0]).toMatchObject({
          operation: 'StorageGateway_20130630.ListGateways',
          status: 413,
          error: 'RequestEntityTooLargeException',
        });
        expect(after.Gateways).toHaveLength(3);
      },
    );

    it('takes a body of exactly the limit', async () => {
      // Prepare
      const prefix = '{"pad":"';
      const padding = 'a'.repeat(LIMIT - prefix.length - 2);

      // Act
      const answer = await postRaw(running.url, sgwHeaders, LIMIT, false, `${prefix}${padding}"}`);

      // Assess
      expect(answer.status).toBe(200);
    });

    it.each([
      ['with a content-length', false],
      ['chunked', true],
    ])('refuses an EC2 body %s in the EC2 XML error shape', async (_case, chunked) => {
      // Act
      const answer = await postRaw(
        running.url,
        { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        OVERSIZED,
        chunked,
        'Action=DescribeSnapshots&Version=2016-11-15&Pad=',
      );

      // Assess
      expect(answer.status).toBe(413);
      expect(answer.body).toContain('<Errors><Error><Code>RequestEntityTooLargeException</Code>');
    });
  });

  describe('the local Step Functions endpoint', () => {
    const served = useSfnEndpoint();

    it.each([
      ['with a content-length', false],
      ['chunked', true],
    ])('refuses a body %s with a 413 RequestEntityTooLargeException, then keeps serving', async (_case, chunked) => {
      // Prepare
      const headers = {
        'x-amz-target': 'AWSStepFunctions.StartExecution',
        'content-type': 'application/x-amz-json-1.0',
      };

      // Act
      const answer = await postRaw(served.url, headers, OVERSIZED, chunked);
      const after = await fetch(served.url, {
        method: 'POST',
        headers: { ...headers, 'x-amz-target': 'AWSStepFunctions.ListStateMachines' },
        body: '{}',
      });

      // Assess
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({
        __type: 'RequestEntityTooLargeException',
        message: expect.any(String),
      });
      expect(after.status).toBe(200);
      expect(await after.json()).toMatchObject({
        stateMachines: [{ stateMachineArn: served.endpoint.stateMachineArn }],
      });
    });
  });
});
