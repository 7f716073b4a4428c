import { createSummariseGatewayHandler } from '../../../functions/summarise-gateway/handler.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { GATEWAY_ARN, volumeArn } from '../../helpers/fixtures.ts';
import { executionNamed, type LocalEvidence, startLocalEvidence } from '../../helpers/local-evidence.ts';
import { bytes, created, earlier, failed, iteration, TIME, volumeIds } from '../../helpers/report.ts';

const context = () => localLambdaContext('summariseGateway', 60);

let local: LocalEvidence;
let handler: ReturnType<typeof createSummariseGatewayHandler>;
beforeAll(async () => {
  local = await startLocalEvidence();
  handler = createSummariseGatewayHandler({ evidence: local.store, evidenceBucket: local.bucket });
});
afterAll(() => local.close());

/** A gateway of `count` volumes whose every CreateSnapshot failed with its own long cause. */
function allFailed(executionName: string, count: number) {
  const ids = volumeIds(count);
  return {
    ids,
    event: iteration({
      execution: executionNamed(executionName),
      listed: {
        recoveryPoints: count,
        selected: ids.map((id) => ({ volumeArn: volumeArn(id), recoveryPointTime: TIME, sizeBytes: 1_000 })),
        skipped: [],
        failures: [],
        earlierSnapshots: [],
      },
      outcomes: ids.map((id, i) => failed(id, 'InternalServerError', `attempt ${i}: ${'stack frame '.repeat(200)}`)),
    }),
  };
}

describe('summarise-gateway handler', () => {
  it("writes the gateway's whole account to its object under the execution's prefix and returns only counts", async () => {
    // Prepare
    const { ids, event } = allFailed('summarise-gateway-whole', 32);

    // Act
    const result = await handler(event, context());

    // Assess
    expect(result).toEqual({
      gatewayArn: GATEWAY_ARN,
      counts: {
        recoveryPoints: 32,
        selected: 32,
        created: 0,
        existing: 0,
        wouldCreate: 0,
        skipped: 0,
        failed: 32,
        skippedByReason: {},
      },
    });
    expect(await local.keysOf(event.execution)).toEqual([
      'executions/sgw-recovery-snapshots/summarise-gateway-whole/gateways/sgw-12A3456B.json',
    ]);
    const written = await local.of(event.execution).readGateway(GATEWAY_ARN);
    expect(written?.failures.map((f) => f.volumeArn)).toEqual(ids.map((id) => volumeArn(id)));
    expect(written?.failures[0]?.cause.length).toBeGreaterThan(200);
  });

  it('returns a summary of the same small size for a gateway of any size, and keeps every volume in S3', async () => {
    // Prepare
    const small = allFailed('summarise-gateway-small', 1);
    const large = allFailed('summarise-gateway-large', 1_000);

    // Act
    const one = await handler(small.event, context());
    const thousand = await handler(large.event, context());

    // Assess
    expect(bytes(thousand)).toBeLessThan(bytes(one) + 20);
    expect(bytes(thousand)).toBeLessThan(512);
    const written = await local.of(large.event.execution).readGateway(GATEWAY_ARN);
    expect(written?.failures).toHaveLength(1_000);
  });

  it('keeps snapshots, skips with the snapshot that holds them, and earlier snapshots in the object', async () => {
    // Prepare
    const point = (id: string) => ({ volumeArn: volumeArn(id), recoveryPointTime: TIME, sizeBytes: 1_000 });
    const event = iteration({
      execution: executionNamed('summarise-gateway-mixed'),
      listed: {
        recoveryPoints: 4,
        selected: [point('vol-1'), point('vol-2')],
        skipped: [
          { ...point('vol-3'), reason: 'already-snapshotted', snapshotId: 'snap-held-3' },
          { ...point('vol-4'), reason: 'too-new' },
        ],
        failures: [],
        earlierSnapshots: [earlier('vol-4')],
      },
      outcomes: [created('vol-1'), { ...created('vol-2'), status: 'existing' }],
    });

    // Act
    const result = await handler(event, context());

    // Assess
    expect(result.counts).toEqual({
      recoveryPoints: 4,
      selected: 2,
      created: 1,
      existing: 1,
      wouldCreate: 0,
      skipped: 2,
      failed: 0,
      skippedByReason: { 'already-snapshotted': 1, 'too-new': 1 },
    });
    const written = await local.of(event.execution).readGateway(GATEWAY_ARN);
    expect(written?.snapshots.map((s) => [s.volumeArn, s.snapshotId, s.status, s.snapshotTime])).toEqual([
      [volumeArn('vol-1'), 'snap-1', 'created', '2025-01-15T11:30:00.000Z'],
      [volumeArn('vol-2'), 'snap-2', 'existing', '2025-01-15T11:30:00.000Z'],
    ]);
    expect(written?.skipped.map((s) => [s.volumeArn, s.reason, s.snapshotId])).toEqual([
      [volumeArn('vol-3'), 'already-snapshotted', 'snap-held-3'],
      [volumeArn('vol-4'), 'too-new', undefined],
    ]);
    expect(written?.earlierSnapshots).toEqual([earlier('vol-4')]);
  });

  it('writes the account of a gateway whose listing failed, counted as one failure', async () => {
    // Prepare
    const event = iteration({
      execution: executionNamed('summarise-gateway-list-failed'),
      listFailure: { Error: 'InvalidGatewayRequestException', Cause: 'The specified gateway is not connected' },
    });

    // Act
    const result = await handler(event, context());

    // Assess
    expect(result.counts).toMatchObject({ recoveryPoints: 0, failed: 1 });
    const written = await local.of(event.execution).readGateway(GATEWAY_ARN);
    expect(written?.failures).toEqual([
      {
        gatewayArn: GATEWAY_ARN,
        error: 'InvalidGatewayRequestException',
        cause: 'The specified gateway is not connected',
      },
    ]);
  });

  it("lets S3's error reach the state machine by its own name", async () => {
    // Prepare
    const unwritable = createSummariseGatewayHandler({ evidence: local.store, evidenceBucket: () => 'no-such-bucket' });
    const { event } = allFailed('summarise-gateway-no-bucket', 1);

    // Act
    const act = unwritable(event, context());

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});
