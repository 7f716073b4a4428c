import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { executionEvidence } from '../../../src/evidence/keys.ts';
import { createEvidenceStore } from '../../../src/evidence/store.ts';
import { DEFAULT_LOCAL_EVIDENCE_BUCKET } from '../../../src/local/s3-server.ts';
import { startLocalStack } from '../../../src/local/stack.ts';
import { temporaryS3Directory } from '../../helpers/local-s3.ts';

const EXECUTION = { stateMachineName: 'sgw-recovery-snapshots-local', executionName: 'run-1' };

let directory: string;

beforeEach(async () => {
  directory = await temporaryS3Directory();
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('startLocalStack and the evidence bucket', () => {
  it('starts an embedded S3 server holding the evidence bucket, and stops it on close', async () => {
    // Prepare
    const stack = await startLocalStack({ env: {}, s3Directory: directory });
    const evidence = executionEvidence(stack.evidenceBucket, EXECUTION);

    // Act
    try {
      await createEvidenceStore({ s3: stack.s3 }).putJson(evidence.report, { snapshots: [] });

      // Assess
      expect(stack.evidenceBucket).toBe(DEFAULT_LOCAL_EVIDENCE_BUCKET);
      expect(stack.s3Server?.directory).toBe(directory);
      expect(stack.s3Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const listed = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.evidenceBucket }));
      expect(listed.Contents?.map((object) => object.Key)).toEqual([evidence.report.key]);
    } finally {
      await stack.close();
    }
    await expect(fetch(stack.s3Endpoint)).rejects.toThrow();
  });

  it('finds the evidence of an earlier local run after a restart', async () => {
    // Prepare
    const env = { EVIDENCE_BUCKET: 'my-evidence', SGW_SNAP_S3_DIR: directory };
    const first = await startLocalStack({ env });
    const location = executionEvidence(first.evidenceBucket, EXECUTION).manifest;
    await createEvidenceStore({ s3: first.s3 }).putJson(location, { volumes: ['vol-1'] });
    await first.close();

    // Act
    const second = await startLocalStack({ env });

    // Assess
    try {
      expect(second.evidenceBucket).toBe('my-evidence');
      expect(await createEvidenceStore({ s3: second.s3 }).getJson(location)).toEqual({ volumes: ['vol-1'] });
    } finally {
      await second.close();
    }
  });

  it('uses AWS_ENDPOINT_URL_S3 instead of an embedded server, path-style, with the bucket of EVIDENCE_BUCKET', async () => {
    // Prepare
    const requests: string[] = [];
    const server: Server = createServer((request: IncomingMessage, response) => {
      requests.push(`${request.method} ${request.url}`);
      request.resume();
      response.writeHead(403, { 'content-type': 'application/xml' });
      response.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>no</Message></Error>',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const unused = path.join(directory, 'unused');
    const stack = await startLocalStack({
      env: { AWS_ENDPOINT_URL_S3: url, EVIDENCE_BUCKET: 'their-bucket' },
      s3Directory: unused,
    });

    // Act
    const act = createEvidenceStore({ s3: stack.s3 }).getJson(executionEvidence('their-bucket', EXECUTION).report);

    // Assess
    try {
      await expect(act).rejects.toMatchObject({ name: 'AccessDenied' });
      expect(stack.s3Server).toBeUndefined();
      expect(stack.s3Endpoint).toBe(url);
      expect(stack.evidenceBucket).toBe('their-bucket');
      expect(requests).toEqual([
        `GET /their-bucket/executions/${EXECUTION.stateMachineName}/run-1/report.json?x-id=GetObject`,
      ]);
      expect(existsSync(unused)).toBe(false);
    } finally {
      await stack.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
