import { DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { createRestorePlanHandler } from '../../../functions/restore-plan/handler.ts';
import { createRestoreRecordBatchHandler } from '../../../functions/restore-record-batch/handler.ts';
import { createRestoreSummariseHandler } from '../../../functions/restore-summarise/handler.ts';
import type { EvidenceLocation } from '../../../src/evidence/location.ts';
import { locationOfUri } from '../../../src/evidence/run-evidence.ts';
import type { EvidenceStore } from '../../../src/evidence/store.ts';
import { MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES } from '../../../src/local/execution-limits.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { MAX_BATCH_VOLUMES } from '../../../src/restore/batches.ts';
import { restoreHistoryEvents } from '../../../src/restore/limits.ts';
import type { RestoreReport } from '../../../src/restore/report.ts';
import type { RestoreBatch, RestoreItem, RestoreOutcome, RestorePlan } from '../../../src/restore/types.ts';
import { ACCOUNT, EXECUTION } from '../../helpers/fixtures.ts';

const BUCKET = 'evidence';
const GATEWAYS = 100;
const VOLUMES_PER_GATEWAY = 32;
const gatewayArn = (g: number) =>
  `arn:aws:storagegateway:us-east-1:${ACCOUNT}:gateway/sgw-${g.toString(16).toUpperCase().padStart(8, '0')}`;
const snapshotId = (n: number) => `snap-${n.toString(16).padStart(17, '0')}`;

/** An evidence store in memory: S3's answer to a missing object is `NoSuchKey`. */
function memoryEvidence(): EvidenceStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  const put = async (location: EvidenceLocation, text: string) => {
    objects.set(`${location.bucket}/${location.key}`, text);
    return { location, bytes: Buffer.byteLength(text) };
  };
  return {
    objects,
    putJson: (location, value) => put(location, JSON.stringify(value)),
    putText: (location, text) => put(location, text),
    async getJson(location) {
      const text = objects.get(`${location.bucket}/${location.key}`);
      if (text === undefined)
        throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return JSON.parse(text) as unknown;
    },
  };
}

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const ec2 = mockClient(EC2Client);
afterAll(() => ec2.restore());

describe('a restore of 3,200 volumes (100 gateways of 32)', () => {
  it('keeps every state under 256 KiB and every child history under 25,000 events, from plan to report', async () => {
    // Prepare: a manifest naming each gateway, every snapshot completed.
    ec2.on(DescribeSnapshotsCommand).callsFake(({ SnapshotIds = [] }: { SnapshotIds?: string[] }) => ({
      Snapshots: SnapshotIds.map((id) => ({
        SnapshotId: id,
        State: 'completed',
        StorageTier: 'standard',
        VolumeSize: 500,
      })),
    }));
    const manifest = Array.from({ length: GATEWAYS }, (_, g) => ({
      gatewayArn: gatewayArn(g + 1),
      gatewayName: `branch-office-${g + 1}`,
      volumes: Array.from({ length: VOLUMES_PER_GATEWAY }, (_, v) => {
        const n = g * VOLUMES_PER_GATEWAY + v + 1;
        return {
          volumeArn: `${gatewayArn(g + 1)}/volume/vol-${n.toString(16).toUpperCase().padStart(8, '0')}`,
          snapshotId: snapshotId(n),
        };
      }),
    }));
    const evidence = memoryEvidence();
    const manifestUri = `s3://${BUCKET}/executions/sgw-recovery-snapshots/nightly/manifest.json`;
    await evidence.putJson(locationOfUri(manifestUri) as EvidenceLocation, { manifest });
    const deps = { evidence, evidenceBucket: () => BUCKET, now: () => Date.parse(EXECUTION.startTime) };
    const plan = createRestorePlanHandler({
      ...deps,
      storageGateway: new StorageGatewayClient({ region: 'us-east-1' }),
      ec2: new EC2Client({ region: 'us-east-1' }),
    });
    const input = { manifestUri, target: { ebs: { availabilityZone: 'us-east-1a' } }, test: true };

    // Act: the plan, then each batch's child as it ends (every volume restored, verified and deleted), then the report.
    const planned = (await plan(
      { input, execution: EXECUTION },
      localLambdaContext('restorePlan', 100),
    )) as RestorePlan;
    const childStates: unknown[] = [];
    for (const batch of planned.batches) {
      const items = (await evidence.getJson(locationOfUri(batch.itemsUri) as EvidenceLocation)) as RestoreItem[];
      const outcomes = items.map(
        (item): RestoreOutcome => ({
          item,
          options: planned.options,
          execution: planned.execution,
          created: { volumeId: 'vol-0123456789abcdef0', status: 'created', requestedAt: EXECUTION.startTime },
          check: {
            phase: 'usable',
            status: 'available',
            checkedAt: EXECUTION.startTime,
            rtoMs: 95_000,
            sizeBytes: 5e11,
          },
          cleanup: { deleted: 'vol-0123456789abcdef0', deletedAt: EXECUTION.startTime },
        }),
      );
      const childState = { batch, options: planned.options, execution: planned.execution, items, outcomes };
      childStates.push(childState);
      await createRestoreRecordBatchHandler(deps)(childState, localLambdaContext('restoreRecordBatch', 50));
    }
    const summarised = await createRestoreSummariseHandler(deps)(planned, localLambdaContext('restoreSummarise', 50));
    const report = (await evidence.getJson(
      locationOfUri(summarised.digest.evidence?.report ?? '') as EvidenceLocation,
    )) as RestoreReport;

    // Assess
    expect(planned.volumes).toBe(3_200);
    expect(bytesOf(planned)).toBeLessThan(MAX_PAYLOAD_BYTES / 4);
    expect(planned.batches.reduce((sum, b) => sum + b.volumes, 0)).toBe(3_200);
    for (const batch of planned.batches) {
      expect(batch.volumes).toBeLessThanOrEqual(MAX_BATCH_VOLUMES);
      expect(restoreHistoryEvents(batch.volumes, 60, 60)).toBeLessThanOrEqual(MAX_HISTORY_EVENTS);
    }
    for (const state of childStates) expect(bytesOf(state)).toBeLessThan(MAX_PAYLOAD_BYTES);
    expect(planned.batchConcurrency * planned.volumeConcurrency).toBeLessThanOrEqual(planned.options.maxConcurrency);
    expect(bytesOf(summarised)).toBeLessThan(MAX_PAYLOAD_BYTES);
    expect(summarised.failed).toBe(false);
    expect(report.summary).toMatchObject({
      volumes: 3_200,
      restored: 3_200,
      failed: 0,
      cleanedUp: 3_200,
      leftBehind: 0,
    });
    expect(new Set(report.volumes.map((v) => v.snapshotId)).size).toBe(3_200);
  });

  it('fails the volumes of a batch whose child left no account, naming the batch, and keeps the others', async () => {
    // Prepare: a plan of 100 volumes in batches; the first batch's child records, the others never do.
    ec2.on(DescribeSnapshotsCommand).callsFake(({ SnapshotIds = [] }: { SnapshotIds?: string[] }) => ({
      Snapshots: SnapshotIds.map((id) => ({ SnapshotId: id, State: 'completed', VolumeSize: 10 })),
    }));
    const manifest = [
      {
        gatewayArn: gatewayArn(1),
        volumes: Array.from({ length: 100 }, (_, v) => ({
          volumeArn: `${gatewayArn(1)}/volume/vol-${(v + 1).toString(16).toUpperCase().padStart(8, '0')}`,
          snapshotId: snapshotId(v + 1),
        })),
      },
    ];
    const evidence = memoryEvidence();
    const deps = { evidence, evidenceBucket: () => BUCKET, now: () => Date.parse(EXECUTION.startTime) };
    const planned = (await createRestorePlanHandler({
      ...deps,
      storageGateway: new StorageGatewayClient({ region: 'us-east-1' }),
      ec2: new EC2Client({ region: 'us-east-1' }),
    })(
      { input: { manifest, target: { ebs: { availabilityZone: 'us-east-1a' } } }, execution: EXECUTION },
      localLambdaContext('restorePlan', 100),
    )) as RestorePlan;
    const [first] = planned.batches;
    const items = (await evidence.getJson(locationOfUri(first?.itemsUri ?? '') as EvidenceLocation)) as RestoreItem[];
    await createRestoreRecordBatchHandler(deps)(
      {
        batch: first as RestoreBatch,
        execution: planned.execution,
        outcomes: items.map((item) => ({
          item,
          options: planned.options,
          execution: planned.execution,
          created: { volumeId: 'vol-0123456789abcdef0', status: 'created', requestedAt: EXECUTION.startTime },
          check: { phase: 'usable', status: 'available', checkedAt: EXECUTION.startTime, rtoMs: 1 },
        })),
      },
      localLambdaContext('restoreRecordBatch', 50),
    );

    // Act
    const summarised = await createRestoreSummariseHandler(deps)(planned, localLambdaContext('restoreSummarise', 50));

    // Assess
    expect(planned.batches.length).toBeGreaterThan(1);
    expect(summarised.failed).toBe(true);
    expect(summarised.digest.summary).toMatchObject({
      volumes: 100,
      restored: first?.volumes,
      failed: 100 - (first?.volumes ?? 0),
    });
    const report = (await evidence.getJson(
      locationOfUri(summarised.digest.evidence?.report ?? '') as EvidenceLocation,
    )) as RestoreReport;
    const failed = report.volumes.filter((v) => v.state === 'failed');
    expect(failed[0]?.failure).toEqual({
      Error: 'RestoreBatchFailed',
      Cause: 'the child execution of batch 1 ended without recording its volumes (failed, timed out or aborted)',
    });
  });
});
