import { DescribeSnapshotsCommand, EC2Client, type Snapshot } from '@aws-sdk/client-ec2';
import { ListGatewaysCommand, StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { createSummariseHandler, type SummariseRequest } from '../../../functions/summarise/handler.ts';
import { EC2_VISIBILITY_DELAYS_MS } from '../../../src/aws/ec2-visibility.ts';
import { GATEWAY_NOT_REPORTED } from '../../../src/errors.ts';
import type { ExecutionInput } from '../../../src/input/schema.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { DIGEST_FAILURES, type ExecutionReport, type ReportDigest } from '../../../src/report/execution-report.ts';
import { type GatewayReport, gatewayReportOf, type ManifestGateway } from '../../../src/report/gateway-report.ts';
import { SNAPSHOT_TAG } from '../../../src/snapshot/tags.ts';
import type { ExecutionRef, ListResult } from '../../../src/workflow/types.ts';
import { GATEWAY_ARN, GATEWAY_ID, NOW, OTHER_GATEWAY_ARN, optionsOf, volumeArn } from '../../helpers/fixtures.ts';
import { executionNamed, type LocalEvidence, startLocalEvidence } from '../../helpers/local-evidence.ts';
import { bytes, created, earlier, failed, iteration, TIME, volumeIds } from '../../helpers/report.ts';
import { STORAGE_GATEWAY_ERRORS } from '../../helpers/sdk-errors.ts';

const ec2 = mockClient(EC2Client);
const storageGateway = mockClient(StorageGatewayClient);
const context = () => localLambdaContext('summarise', 60);

let local: LocalEvidence;
let handler: ReturnType<typeof createSummariseHandler>;
beforeAll(async () => {
  local = await startLocalEvidence();
  handler = createSummariseHandler({
    ec2: new EC2Client({ region: 'us-east-1' }),
    storageGateway: new StorageGatewayClient({ region: 'us-east-1' }),
    now: () => NOW,
    evidence: local.store,
    evidenceBucket: local.bucket,
  });
});
beforeEach(() => {
  ec2.reset();
  storageGateway.reset();
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  storageGateway.on(ListGatewaysCommand).resolves({
    Gateways: [
      { GatewayARN: GATEWAY_ARN, GatewayType: 'CACHED', GatewayName: 'site-a' },
      { GatewayARN: OTHER_GATEWAY_ARN, GatewayType: 'CACHED', GatewayName: 'site-b' },
    ],
  });
});
afterAll(async () => {
  ec2.restore();
  storageGateway.restore();
  await local.close();
});

const point = (volumeId: string, gatewayArn = GATEWAY_ARN) => ({
  volumeArn: volumeArn(volumeId, gatewayArn),
  recoveryPointTime: TIME,
  sizeBytes: 1_000,
});

/**
 * A gateway of six recovery points: two snapshotted by this run, one already snapshotted by an earlier run, one
 * too new (with an earlier run's snapshot to restore from), one too new with none, one excluded.
 */
function sixPoints(execution: ExecutionRef): GatewayReport {
  const listed: ListResult = {
    recoveryPoints: 6,
    selected: [point('vol-1'), point('vol-2')],
    skipped: [
      { ...point('vol-3'), reason: 'already-snapshotted', snapshotId: 'snap-held-3' },
      { ...point('vol-4'), reason: 'too-new' },
      { ...point('vol-5'), reason: 'too-new' },
      { ...point('vol-6'), reason: 'excluded' },
    ],
    failures: [],
    earlierSnapshots: [earlier('vol-4')],
  };
  return gatewayReportOf(iteration({ execution, listed, outcomes: [created('vol-1'), created('vol-2')] }));
}

/** A gateway of `ids`, the first `failing` of which failed with a ~1 kB cause. */
function snapshotted(execution: ExecutionRef, gatewayArn: string, ids: string[], failing = 0): GatewayReport {
  return gatewayReportOf(
    iteration({
      execution,
      gatewayArn,
      listed: {
        recoveryPoints: ids.length,
        selected: ids.map((id) => point(id, gatewayArn)),
        skipped: [],
        failures: [],
        earlierSnapshots: [],
      },
      outcomes: ids.map((id, i) =>
        i < failing
          ? failed(id, 'InternalServerError', `volume ${i}: ${'x'.repeat(900)}`, gatewayArn)
          : created(id, gatewayArn),
      ),
    }),
  );
}

/** Writes the gateways' evidence objects of a new execution and returns the request Summarise gets. */
async function arrange(
  name: string,
  gateways: (execution: ExecutionRef) => GatewayReport[],
  input: ExecutionInput = {},
): Promise<SummariseRequest> {
  const execution = executionNamed(name);
  const written = gateways(execution);
  for (const gateway of written) await local.of(execution).writeGateway(gateway);
  return { options: optionsOf(input), execution, gatewayArns: written.map((g) => g.gatewayArn) };
}

async function reportOf(execution: ExecutionRef): Promise<ExecutionReport> {
  return JSON.parse(await local.text(`${prefixOf(execution)}report.json`)) as ExecutionReport;
}

function prefixOf(execution: ExecutionRef): string {
  return `executions/sgw-recovery-snapshots/${execution.name}/`;
}

function pointsOf(report: ExecutionReport): string[] {
  return [...report.snapshots, ...report.skipped, ...report.failures].flatMap((p) => p.volumeArn ?? []).sort();
}

describe('summarise handler', () => {
  it('writes report.json, manifest.json and report.csv, and returns a digest that points at them', async () => {
    // Prepare
    const request = await arrange('summarise-written', (execution) => [sixPoints(execution)]);
    const prefix = prefixOf(request.execution);

    // Act
    const result = await handler(request, context());

    // Assess
    expect(await local.keysOf(request.execution)).toEqual([
      `${prefix}gateways/${GATEWAY_ID}.json`,
      `${prefix}manifest.json`,
      `${prefix}report.csv`,
      `${prefix}report.json`,
    ]);
    expect(result).toEqual({ digest: expect.any(Object), failed: false, cause: '' });
    expect(result.digest.evidence).toEqual({
      prefix: `s3://sgw-snap-evidence-test/${prefix}`,
      report: `s3://sgw-snap-evidence-test/${prefix}report.json`,
      manifest: `s3://sgw-snap-evidence-test/${prefix}manifest.json`,
      csv: `s3://sgw-snap-evidence-test/${prefix}report.csv`,
    });
    const report = await reportOf(request.execution);
    expect(result.digest.summary).toEqual(report.summary);
    expect(report.reportedAt).toBe(new Date(NOW).toISOString());
    const manifest = JSON.parse(await local.text(`${prefix}manifest.json`)) as { manifest: ManifestGateway[] };
    expect(manifest).toEqual({ execution: request.execution, dryRun: false, manifest: report.manifest });
    const csv = (await local.text(`${prefix}report.csv`)).trim().split(/\r?\n/);
    expect(csv).toHaveLength(1 + 6);
    expect(csv[0]).toMatch(/^gateway_name,gateway_arn,volume_id,/);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('holds every recovery point exactly once and a manifest entry for every volume in scope', async () => {
    // Prepare
    const request = await arrange('summarise-whole', (execution) => [
      sixPoints(execution),
      snapshotted(execution, OTHER_GATEWAY_ARN, ['vol-7', 'vol-8']),
    ]);

    // Act
    const result = await handler(request, context());

    // Assess
    const report = await reportOf(request.execution);
    const all = ['vol-1', 'vol-2', 'vol-3', 'vol-4', 'vol-5', 'vol-6'].map((id) => volumeArn(id));
    expect(pointsOf(report)).toEqual(
      [...all, volumeArn('vol-7', OTHER_GATEWAY_ARN), volumeArn('vol-8', OTHER_GATEWAY_ARN)].sort(),
    );
    expect(
      report.manifest.map((g) => [g.gatewayName, g.volumes.map((v) => [v.snapshotId, v.source ?? v.reason])]),
    ).toEqual([
      [
        'site-a',
        [
          ['snap-1', 'created'],
          ['snap-2', 'created'],
          ['snap-held-3', 'existing'],
          ['snap-old-4', 'earlier-run'],
          [null, 'too-new'],
        ],
      ],
      [
        'site-b',
        [
          ['snap-7', 'created'],
          ['snap-8', 'created'],
        ],
      ],
    ]);
    expect(result.digest.summary).toMatchObject({ gateways: 2, recoveryPoints: 8, volumes: 7, withoutSnapshot: 1 });
  });

  it("fails a gateway that wrote no evidence as GatewayNotReported and still lists this run's snapshots of it", async () => {
    // Prepare
    const request = await arrange('summarise-not-reported', (execution) => [sixPoints(execution)]);
    request.gatewayArns.push(OTHER_GATEWAY_ARN);
    request.mapFailure = { Error: 'States.TaskFailed', Cause: 'child execution timed out' };
    const madeByThisRun = (volumeId: string, gatewayArn: string): Snapshot => ({
      SnapshotId: `snap-${volumeId}`,
      State: 'pending',
      VolumeSize: 1,
      StartTime: new Date(NOW - 600_000),
      Tags: [
        { Key: SNAPSHOT_TAG.volumeArn, Value: volumeArn(volumeId, gatewayArn) },
        { Key: SNAPSHOT_TAG.recoveryPointTime, Value: TIME },
      ],
    });
    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [madeByThisRun('vol-1', GATEWAY_ARN), madeByThisRun('vol-9', OTHER_GATEWAY_ARN)],
    });

    // Act
    const result = await handler(request, context());

    // Assess
    expect(result.failed).toBe(true);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: `tag:${SNAPSHOT_TAG.execution}`, Values: [request.execution.id] },
    ]);
    const report = await reportOf(request.execution);
    expect(report.failures).toEqual([
      {
        gatewayArn: OTHER_GATEWAY_ARN,
        error: GATEWAY_NOT_REPORTED,
        cause: expect.stringContaining('States.TaskFailed child execution timed out'),
      },
    ]);
    expect(report.snapshots.filter((s) => s.gatewayArn === OTHER_GATEWAY_ARN)).toEqual([
      {
        gatewayArn: OTHER_GATEWAY_ARN,
        volumeArn: volumeArn('vol-9', OTHER_GATEWAY_ARN),
        recoveryPointTime: TIME,
        snapshotId: 'snap-vol-9',
        status: 'created',
        sizeBytes: 2 ** 30,
        state: 'pending',
        snapshotTime: new Date(NOW - 600_000).toISOString(),
      },
    ]);
    expect(report.snapshots.filter((s) => s.gatewayArn === GATEWAY_ARN).map((s) => s.snapshotId)).toEqual([
      'snap-1',
      'snap-2',
    ]);
    expect(report.manifest[1]).toMatchObject({ gatewayArn: OTHER_GATEWAY_ARN, error: GATEWAY_NOT_REPORTED });
    const cause = JSON.parse(result.cause) as ReportDigest;
    expect(cause.failures.map((f) => f.error)).toEqual([GATEWAY_NOT_REPORTED]);
    expect(cause.evidence?.report).toBe(`s3://sgw-snap-evidence-test/${prefixOf(request.execution)}report.json`);
  });

  it("looks again through EC2's visibility lag until it shows the snapshot a failed child made", async () => {
    // Prepare: the other gateway's child failed after its create; EC2 shows the snapshot only on the third look.
    const request = await arrange('summarise-lagging', (execution) => [sixPoints(execution)]);
    request.gatewayArns.push(OTHER_GATEWAY_ARN);
    const made: Snapshot = {
      SnapshotId: 'snap-late',
      State: 'pending',
      VolumeSize: 1,
      StartTime: new Date(NOW - 1_000),
      Tags: [
        { Key: SNAPSHOT_TAG.volumeArn, Value: volumeArn('vol-9', OTHER_GATEWAY_ARN) },
        { Key: SNAPSHOT_TAG.recoveryPointTime, Value: TIME },
      ],
    };
    ec2
      .on(DescribeSnapshotsCommand)
      .resolvesOnce({ Snapshots: [] })
      .resolvesOnce({ Snapshots: [] })
      .resolves({ Snapshots: [made] });
    const waits: number[] = [];
    const lagging = createSummariseHandler({
      ec2: new EC2Client({ region: 'us-east-1' }),
      storageGateway: new StorageGatewayClient({ region: 'us-east-1' }),
      now: () => NOW,
      evidence: local.store,
      evidenceBucket: local.bucket,
      visibility: { sleep: async (ms) => void waits.push(ms) },
    });

    // Act
    await lagging(request, context());

    // Assess: EC2's one backoff until it shows the snapshot, and one look more that shows nothing new (which volumes
    // the gateway's child snapshotted is unknown); the snapshot in the manifest.
    expect(waits).toEqual(EC2_VISIBILITY_DELAYS_MS.slice(0, 3));
    expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(4);
    const report = await reportOf(request.execution);
    expect(report.manifest[1]).toMatchObject({ gatewayArn: OTHER_GATEWAY_ARN, error: GATEWAY_NOT_REPORTED });
    expect(report.manifest[1]?.volumes).toEqual([expect.objectContaining({ snapshotId: 'snap-late' })]);
  });

  it('keeps every created snapshot ID in the failures when the wait for completion failed', async () => {
    // Prepare
    const request = await arrange(
      'summarise-wait-failed',
      (execution) => {
        const gateway = snapshotted(execution, GATEWAY_ARN, ['vol-1', 'vol-2', 'vol-3']);
        gateway.snapshots = gateway.snapshots.map((s) => ({
          ...s,
          state: s.snapshotId === 'snap-2' ? 'completed' : 'pending',
        }));
        return [gateway];
      },
      { waitForCompletion: true },
    );
    request.waitFailure = { Error: 'InternalError', Cause: 'DescribeSnapshots is unavailable' };

    // Act
    const result = await handler(request, context());

    // Assess
    const report = await reportOf(request.execution);
    expect(result.failed).toBe(true);
    expect(report.snapshots.map((s) => [s.snapshotId, s.state])).toEqual([['snap-2', 'completed']]);
    expect(report.failures.map((f) => [f.snapshotId, f.state, f.error])).toEqual([
      ['snap-1', 'pending', 'InternalError'],
      ['snap-3', 'pending', 'InternalError'],
    ]);
    expect(report.failures[0]?.cause).toContain('DescribeSnapshots is unavailable');
  });

  it.each(Object.keys(STORAGE_GATEWAY_ERRORS))(
    'still writes the whole report when ListGateways fails with %s, naming gateways by ARN only',
    async (name) => {
      // Prepare
      const request = await arrange(`summarise-no-names-${name}`, (execution) => [sixPoints(execution)]);
      storageGateway.on(ListGatewaysCommand).rejects(STORAGE_GATEWAY_ERRORS[name]?.());

      // Act
      const result = await handler(request, context());

      // Assess
      const report = await reportOf(request.execution);
      expect(result.failed).toBe(false);
      expect(report.manifest[0]?.gatewayName).toBeUndefined();
      expect(report.manifest[0]?.volumes).toHaveLength(5);
    },
  );

  it('returns a digest under 8 KB however many failures there are, all of them in report.json', async () => {
    // Prepare: 20 gateways of 32 volumes, 10 of each failing with ~1 kB causes.
    const gatewayArns = Array.from({ length: 20 }, (_, g) =>
      GATEWAY_ARN.replace(GATEWAY_ID, `sgw-${String(g).padStart(8, '0')}`),
    );
    const request = await arrange('summarise-many-failures', (execution) =>
      gatewayArns.map((arn) => snapshotted(execution, arn, volumeIds(32), 10)),
    );

    // Act
    const result = await handler(request, context());

    // Assess
    expect(result.failed).toBe(true);
    expect(bytes(result.digest)).toBeLessThan(8_192);
    expect(Buffer.byteLength(result.cause)).toBeLessThan(8_192);
    expect(JSON.parse(result.cause)).toEqual(result.digest);
    expect(result.digest.failures).toHaveLength(DIGEST_FAILURES);
    expect(result.digest.moreFailures).toBe(200 - DIGEST_FAILURES);
    expect(result.digest.summary).toMatchObject({ gateways: 20, recoveryPoints: 640, created: 440, failed: 200 });
    const report = await reportOf(request.execution);
    expect(report.failures).toHaveLength(200);
    expect(report.failures.every((f) => f.cause.length > 900)).toBe(true);
  });
});
