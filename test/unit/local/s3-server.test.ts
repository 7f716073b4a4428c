import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { jest } from '@jest/globals';
import { createEvidenceStore } from '../../../src/evidence/store.ts';
import { createLocalS3Server, defaultS3Directory, S3_DIRECTORY_VARIABLE } from '../../../src/local/s3-server.ts';
import { localS3Client, temporaryS3Directory } from '../../helpers/local-s3.ts';

describe('defaultS3Directory', () => {
  it('is under ~/.local/share by default', () => {
    expect(defaultS3Directory({}, '/home/ops')).toBe('/home/ops/.local/share/sgw-snap/s3');
  });

  it('follows an absolute XDG_DATA_HOME and ignores a relative one', () => {
    expect(defaultS3Directory({ XDG_DATA_HOME: '/data' }, '/home/ops')).toBe('/data/sgw-snap/s3');
    expect(defaultS3Directory({ XDG_DATA_HOME: 'data' }, '/home/ops')).toBe('/home/ops/.local/share/sgw-snap/s3');
  });

  it(`is ${S3_DIRECTORY_VARIABLE} when set, before anything else`, () => {
    expect(S3_DIRECTORY_VARIABLE).toBe('SGW_SNAP_S3_DIR');
    expect(defaultS3Directory({ SGW_SNAP_S3_DIR: '/srv/s3', XDG_DATA_HOME: '/data' }, '/home/ops')).toBe('/srv/s3');
    expect(defaultS3Directory({ SGW_SNAP_S3_DIR: 'rel/s3' }, '/home/ops')).toBe(path.resolve('rel/s3'));
  });
});

describe('createLocalS3Server', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await temporaryS3Directory();
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 with an ephemeral port and creates its buckets', async () => {
    // Prepare
    const server = createLocalS3Server({ directory, buckets: ['evidence-a', 'evidence-b'] });

    // Act
    const { url } = await server.listen();

    // Assess
    const s3 = localS3Client(url);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toMatch(/:4568$/);
      const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
      expect(Buckets.map((bucket) => bucket.Name).sort()).toEqual(['evidence-a', 'evidence-b']);
    } finally {
      s3.destroy();
      await server.close();
    }
  });

  it('keeps what was written across a stop and a restart on the same directory', async () => {
    // Prepare
    const location = { bucket: 'evidence', key: 'executions/sm/run-1/report.json' };
    const first = createLocalS3Server({ directory, buckets: ['evidence'] });
    const firstClient = localS3Client((await first.listen()).url);
    await createEvidenceStore({ s3: firstClient }).putJson(location, { snapshots: ['snap-1'] });
    firstClient.destroy();
    await first.close();

    // Act
    const second = createLocalS3Server({ directory, buckets: ['evidence'] });
    const secondClient = localS3Client((await second.listen()).url);

    // Assess
    try {
      expect(await createEvidenceStore({ s3: secondClient }).getJson(location)).toEqual({ snapshots: ['snap-1'] });
    } finally {
      secondClient.destroy();
      await second.close();
    }
  });

  it('closes without having listened, and closes once', async () => {
    const server = createLocalS3Server({ directory, buckets: [] });
    await expect(server.close()).resolves.toBeUndefined();
    await server.listen();
    await server.close();
    await expect(server.close()).resolves.toBeUndefined();
  });

  it('writes nothing to the console', async () => {
    // Prepare
    const writes = [jest.spyOn(process.stdout, 'write'), jest.spyOn(process.stderr, 'write')];
    const logs = (['log', 'info', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level));
    const server = createLocalS3Server({ directory, buckets: ['evidence'] });
    const s3 = localS3Client((await server.listen()).url);

    // Act
    try {
      const store = createEvidenceStore({ s3 });
      await store.putJson({ bucket: 'evidence', key: 'a.json' }, {});
      await expect(store.getJson({ bucket: 'evidence', key: 'missing.json' })).rejects.toMatchObject({
        name: 'NoSuchKey',
      });
    } finally {
      s3.destroy();
      await server.close();
    }
    // A restart finds the bucket already there, which s3rver would warn about.
    const again = createLocalS3Server({ directory, buckets: ['evidence'] });
    await again.listen();
    await again.close();

    // Assess
    try {
      for (const spy of [...writes, ...logs]) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of [...writes, ...logs]) spy.mockRestore();
    }
  });
});
