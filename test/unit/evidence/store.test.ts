import { GetObjectCommand } from '@aws-sdk/client-s3';
import { formatCsv } from '../../../src/evidence/csv.ts';
import { executionEvidence } from '../../../src/evidence/keys.ts';
import { CONTENT_TYPE, createEvidenceStore } from '../../../src/evidence/store.ts';
import { startTestS3, type TestS3 } from '../../helpers/local-s3.ts';

const BUCKET = 'evidence-test';
const evidence = executionEvidence(BUCKET, { stateMachineName: 'sgw-recovery-snapshots-test', executionName: 'run-1' });

let local: TestS3;

beforeAll(async () => {
  local = await startTestS3([BUCKET]);
});

afterAll(async () => {
  await local.close();
});

describe('createEvidenceStore against a local S3 server', () => {
  it('round-trips JSON and reports the bytes written', async () => {
    // Prepare
    const store = createEvidenceStore({ s3: local.s3 });
    const report = { gateways: [{ id: 'sgw-12A3456B', name: 'site-été' }], snapshots: 400, dryRun: false };

    // Act
    const written = await store.putJson(evidence.report, report);
    const read = await store.getJson(evidence.report);

    // Assess
    expect(read).toEqual(report);
    expect(written).toEqual({ location: evidence.report, bytes: Buffer.byteLength(JSON.stringify(report)) });
    const object = await local.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: evidence.report.key }));
    expect(object.ContentType).toBe(CONTENT_TYPE.json);
  });

  it('writes CSV text byte for byte with its content type', async () => {
    // Prepare
    const store = createEvidenceStore({ s3: local.s3 });
    const csv = formatCsv(
      ['gateway', 'snapshotId'],
      [
        ['=cmd', 'snap-1'],
        ['site, "B"', null],
      ],
    );

    // Act
    const written = await store.putText(evidence.csv, csv, CONTENT_TYPE.csv);

    // Assess
    const object = await local.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: evidence.csv.key }));
    expect(await object.Body?.transformToString('utf8')).toBe(csv);
    expect(object.ContentType).toBe(CONTENT_TYPE.csv);
    expect(written.bytes).toBe(Buffer.byteLength(csv));
  });

  it('replaces an object that is written again (checkSnapshots rewrites gateway objects)', async () => {
    // Prepare
    const store = createEvidenceStore({ s3: local.s3 });
    const location = evidence.gateway('sgw-12A3456B');
    await store.putJson(location, { state: 'pending' });

    // Act
    await store.putJson(location, { state: 'completed' });

    // Assess
    expect(await store.getJson(location)).toEqual({ state: 'completed' });
  });

  it("passes S3's errors through under their own names", async () => {
    const store = createEvidenceStore({ s3: local.s3 });
    await expect(store.getJson(evidence.manifest)).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(store.putJson({ bucket: 'no-such-bucket', key: 'k.json' }, {})).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
  });
});
