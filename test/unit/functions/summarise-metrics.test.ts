import { DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListGatewaysCommand, StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import type { SummariseRequest } from '../../../functions/summarise/handler.ts';
import { InvalidMonitoringConfigError } from '../../../src/errors.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { rpoTargetFromEnvironment } from '../../../src/monitoring/config.ts';
import { gatewayReportOf } from '../../../src/report/gateway-report.ts';
import { captureEmf, lambdaMetricsEnvironment, valuesOf } from '../../helpers/emf.ts';
import { GATEWAY_ARN, NOW, optionsOf, volumeArn } from '../../helpers/fixtures.ts';
import { executionNamed, type LocalEvidence, startLocalEvidence } from '../../helpers/local-evidence.ts';
import { created, earlier, iteration, TIME } from '../../helpers/report.ts';

const NAMESPACE = 'sgw-recovery-snapshots-prod';
lambdaMetricsEnvironment(NAMESPACE);
const { createSummariseHandler } = await import('../../../functions/summarise/handler.ts');

const ec2 = mockClient(EC2Client);
const storageGateway = mockClient(StorageGatewayClient);
let local: LocalEvidence;

beforeAll(async () => {
  local = await startLocalEvidence();
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  storageGateway.on(ListGatewaysCommand).resolves({ Gateways: [] });
});
afterAll(async () => {
  ec2.restore();
  storageGateway.restore();
  await local.close();
});

const point = (id: string) => ({ volumeArn: volumeArn(id), recoveryPointTime: TIME, sizeBytes: 1_000 });

/** Two volumes snapshotted now (one hour old points), one too new with a day-old snapshot, one excluded. */
async function arrange(name: string, dryRun = false): Promise<SummariseRequest> {
  const execution = executionNamed(name);
  const options = optionsOf({ dryRun });
  await local.of(execution).writeGateway(
    gatewayReportOf(
      iteration({
        execution,
        options,
        listed: {
          recoveryPoints: 4,
          selected: dryRun ? [point('vol-1'), point('vol-2')] : [],
          skipped: [
            { ...point('vol-3'), reason: 'too-new' },
            { ...point('vol-4'), reason: 'excluded' },
          ],
          failures: [],
          earlierSnapshots: [earlier('vol-3')],
        },
        outcomes: dryRun ? [] : [created('vol-1'), created('vol-2')],
      }),
    ),
  );
  return { options, execution, gatewayArns: [GATEWAY_ARN] };
}

function handlerWith(rpoTargetHours: number) {
  return createSummariseHandler({
    ec2: new EC2Client({ region: 'us-east-1' }),
    storageGateway: new StorageGatewayClient({ region: 'us-east-1' }),
    now: () => NOW,
    rpoTargetHours: () => rpoTargetHours,
    evidence: local.store,
    evidenceBucket: local.bucket,
  });
}

describe('summarise handler metrics (EMF lines)', () => {
  it("writes one line of the execution's figures in the stack's namespace, with the service as its only dimension", async () => {
    // Prepare
    const request = await arrange('metrics-figures');

    // Act
    const { lines, error } = await captureEmf(() => handlerWith(12)(request, localLambdaContext('summarise', 60)));

    // Assess
    expect(error).toBeUndefined();
    // The first call of the file is the instance's cold start: a line of its own, by function name.
    expect(lines.filter((line) => 'ColdStart' in line).map((line) => line.function_name)).toEqual(['summarise']);
    const figures = lines.filter((line) => !('ColdStart' in line));
    expect(figures).toHaveLength(1);
    expect(figures[0]?._aws.CloudWatchMetrics).toEqual([
      expect.objectContaining({ Namespace: NAMESPACE, Dimensions: [['service']] }),
    ]);
    expect(figures[0]?.service).toBe('sgw-recovery-snapshots');
    // Points of 11:00 reported at 12:00; vol-3's earlier snapshot is of the day before: 25 hours, past 12.
    expect(valuesOf(figures[0])).toEqual({
      ExecutionsSummarised: 1,
      SuccessfulExecutions: 1,
      SnapshotsCreated: 2,
      SnapshotsExisting: 0,
      Failures: 0,
      // No retention policy in this execution: nothing deleted, nothing it could not delete.
      SnapshotsDeleted: 0,
      SnapshotsNotRemoved: 0,
      SkippedExcluded: 1,
      SkippedAlreadySnapshotted: 0,
      SkippedTooNew: 1,
      SkippedTooOld: 0,
      SkippedUnknownUsage: 0,
      SkippedBelowMinUsage: 0,
      VolumesInScope: 3,
      StaleVolumes: 1,
      WorstRpo: 25 * 3600,
      MedianRpo: 3600,
    });
    expect(
      Object.fromEntries(figures[0]?._aws.CloudWatchMetrics[0]?.Metrics.map((m) => [m.Name, m.Unit]) ?? []),
    ).toEqual(expect.objectContaining({ WorstRpo: 'Seconds', MedianRpo: 'Seconds', StaleVolumes: 'Count' }));
  });

  it('measures stale volumes against the RPO target it is given', async () => {
    const request = await arrange('metrics-target');
    const { lines } = await captureEmf(() => handlerWith(48)(request, localLambdaContext('summarise', 60)));
    expect(lines.map((line) => valuesOf(line).StaleVolumes)).toEqual([0]);
  });

  it('does not count a dry run as a successful execution', async () => {
    const request = await arrange('metrics-dry-run', true);
    const { lines } = await captureEmf(() => handlerWith(12)(request, localLambdaContext('summarise', 60)));
    expect(lines).toHaveLength(1);
    expect(valuesOf(lines[0])).toEqual(expect.objectContaining({ SuccessfulExecutions: 0, SnapshotsCreated: 0 }));
  });
});

describe('rpoTargetFromEnvironment', () => {
  it('reads RPO_TARGET_HOURS, defaults to 24 hours, and refuses anything but a positive number, naming it', () => {
    expect(rpoTargetFromEnvironment({ RPO_TARGET_HOURS: '6.5' })()).toBe(6.5);
    expect(rpoTargetFromEnvironment({})()).toBe(24);
    for (const bad of ['0', '-3', 'a day']) {
      const read = rpoTargetFromEnvironment({ RPO_TARGET_HOURS: bad });
      expect(read).toThrow(InvalidMonitoringConfigError);
      expect(read).toThrow(/RPO_TARGET_HOURS/);
    }
  });
});
