import { rm } from 'node:fs/promises';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  RECOVERY_POINT_ATTEMPT_KEY_PREFIX,
  RECOVERY_POINT_KEY_PREFIX,
} from '../../functions/create-snapshot/handler.ts';
import { readerOf } from '../../src/cli/evidence.ts';
import { IDEMPOTENCY_ALREADY_IN_PROGRESS } from '../../src/create-once/idempotent.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import type { FaultRule } from '../../src/local/emulator/faults.ts';
import { type EngineEvent, type LocalExecutionResult, startLocalExecution } from '../../src/local/runner.ts';
import { createSfnEndpoint } from '../../src/local/sfn-endpoint/index.ts';
import { type LocalStack, startLocalStack } from '../../src/local/stack.ts';
import type { ExecutionReport, ReportDigest } from '../../src/report/execution-report.ts';
import { snapshotWorkflow } from '../../src/workflow/snapshot.ts';
import { temporaryS3Directory } from '../helpers/local-s3.ts';

/** The demo fleet's recovery points: three CACHED gateways of 4, 3 and 5 volumes, one without a point. */
const DEMO_RECOVERY_POINTS = 11;
/** Each create takes this long, so that every execution's create of a point overlaps the others'. */
const CREATE_LATENCY: FaultRule = { operation: 'CreateSnapshotFromVolumeRecoveryPoint', latencyMs: 150 };

let stack: LocalStack | undefined;
let directory: string | undefined;

afterEach(async () => {
  await stack?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
  stack = undefined;
  directory = undefined;
});

async function startStack(faults: FaultRule[]): Promise<LocalStack> {
  directory = await temporaryS3Directory();
  stack = await startLocalStack({ env: {}, s3Directory: directory, faults });
  return stack;
}

interface Run extends LocalExecutionResult {
  report: ExecutionReport;
  /** How many times a CreateSnapshot attempt failed because another execution held its recovery point. */
  inProgressFailures: number;
}

/** Starts `count` executions over every gateway at the same instant, on one shared stack, and waits for all. */
async function runAtOnce(shared: LocalStack, count: number): Promise<Run[]> {
  const reader = readerOf(createEvidenceStore({ s3: shared.s3 }), shared.s3Endpoint);
  const executions = Array.from({ length: count }, (_, index) => {
    let inProgressFailures = 0;
    const onEvent = (event: EngineEvent) => {
      if (
        event.type === 'StateFailed' &&
        event.state.name === 'CreateSnapshot' &&
        event.Error === IDEMPOTENCY_ALREADY_IN_PROGRESS
      )
        inProgressFailures += 1;
    };
    const execution = startLocalExecution({
      workflow: snapshotWorkflow,
      handlers: shared.handlers,
      input: {},
      name: `at-once-${index}`,
      onEvent,
    });
    return execution.result.then(async (result) => {
      if (result.status !== 'SUCCEEDED')
        throw new Error(`${result.name}: ${result.status} ${result.error} ${result.cause}`);
      const report = await reader.readReport(result.output as ReportDigest);
      return { ...result, report, inProgressFailures };
    });
  });
  return Promise.all(executions);
}

/** How many snapshots the emulator holds of each recovery point. */
function snapshotsPerRecoveryPoint(shared: LocalStack): number[] {
  const counts = new Map<string, number>();
  for (const s of shared.emulator?.snapshots() ?? []) {
    const key = `${s.volumeArn}@${s.recoveryPointTime}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.values()];
}

/** Each execution's snapshot ID of every volume, by volume ARN. */
function snapshotIdsByVolume(runs: readonly Run[]): Map<string, Set<string | undefined>> {
  const ids = new Map<string, Set<string | undefined>>();
  for (const run of runs) {
    for (const s of run.report.snapshots) ids.set(s.volumeArn, (ids.get(s.volumeArn) ?? new Set()).add(s.snapshotId));
    for (const s of run.report.skipped.filter((skip) => skip.reason === 'already-snapshotted'))
      ids.set(s.volumeArn, (ids.get(s.volumeArn) ?? new Set()).add(s.snapshotId));
  }
  return ids;
}

describe('exactly one snapshot per recovery point across concurrent executions', () => {
  it.each([2, 5])('%i executions started at once make one snapshot of each point, and all report it', async (count) => {
    // Prepare
    const shared = await startStack([CREATE_LATENCY]);

    // Act
    const runs = await runAtOnce(shared, count);

    // Assess
    expect(runs.map((run) => run.status)).toEqual(Array(count).fill('SUCCEEDED'));
    expect(snapshotsPerRecoveryPoint(shared)).toEqual(Array(DEMO_RECOVERY_POINTS).fill(1));
    const created = runs.reduce((sum, run) => sum + run.report.summary.created, 0);
    // Every other execution reports each point as the one made: `existing` when it listed the point before that
    // snapshot was made, `already-snapshotted` after; how many of each depends on timing (the demo fleet's DR
    // gateway, issue 14, adds a child execution per run and, under load, some listings come after a create).
    const reported = runs.reduce(
      (sum, run) =>
        sum + run.report.summary.existing + (run.report.summary.skippedByReason['already-snapshotted'] ?? 0),
      0,
    );
    expect(created).toBe(DEMO_RECOVERY_POINTS);
    expect(reported).toBe(DEMO_RECOVERY_POINTS * (count - 1));
    for (const run of runs) expect(run.report.summary).toMatchObject({ failed: 0, created: expect.any(Number) });
    // Every execution names the same snapshot of each volume: the one that was made.
    const ids = snapshotIdsByVolume(runs);
    expect(ids.size).toBe(DEMO_RECOVERY_POINTS);
    for (const set of ids.values()) expect([...set]).toEqual([expect.stringMatching(/^snap-/)]);
    // The executions did overlap: later ones waited on the first one's claim of a point.
    expect(runs.reduce((sum, run) => sum + run.inProgressFailures, 0)).toBeGreaterThan(0);
  });

  it('reports a create whose answer was lost after Storage Gateway made the snapshot once, with its ID', async () => {
    // Prepare: every first create of a point makes its snapshot, then answers an error, as a call that timed out.
    const shared = await startStack([
      CREATE_LATENCY,
      {
        operation: 'CreateSnapshotFromVolumeRecoveryPoint',
        error: 'InternalServerError',
        firstN: DEMO_RECOVERY_POINTS,
        afterEffect: true,
      },
    ]);

    // Act
    const runs = await runAtOnce(shared, 2);

    // Assess
    expect(runs.map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(snapshotsPerRecoveryPoint(shared)).toEqual(Array(DEMO_RECOVERY_POINTS).fill(1));
    const made = new Set(shared.emulator?.snapshots().map((s) => s.snapshotId));
    for (const run of runs) {
      expect(run.report.summary).toMatchObject({ failed: 0 });
      expect(run.report.snapshots).toHaveLength(DEMO_RECOVERY_POINTS);
      for (const s of run.report.snapshots) expect(made.has(s.snapshotId ?? '')).toBe(true);
    }
    for (const set of snapshotIdsByVolume(runs).values()) expect(set.size).toBe(1);
  });

  it('keeps one record per recovery point in the shared table, completed, with the snapshot it answers with', async () => {
    // Prepare
    const shared = await startStack([CREATE_LATENCY]);

    // Act
    await runAtOnce(shared, 2);
    const scanned = await shared.dynamodb.send(new ScanCommand({ TableName: shared.idempotencyTable }));

    // Assess: beside each record, the mark of the point's attempts (RECOVERY_POINT_ATTEMPT_KEY_PREFIX), left open.
    const items = (scanned.Items ?? []).map((raw) => unmarshall(raw));
    const records = items.filter((item) => String(item.id).startsWith(`${RECOVERY_POINT_KEY_PREFIX}#`));
    const marks = items.filter((item) => String(item.id).startsWith(`${RECOVERY_POINT_ATTEMPT_KEY_PREFIX}#`));
    expect(records).toHaveLength(DEMO_RECOVERY_POINTS);
    expect(marks).toHaveLength(DEMO_RECOVERY_POINTS);
    expect(items).toHaveLength(2 * DEMO_RECOVERY_POINTS);
    const made = new Set(shared.emulator?.snapshots().map((s) => s.snapshotId));
    for (const item of records) {
      expect(item).toMatchObject({
        id: expect.stringMatching(/^sgw-snap:recovery-point#[A-Za-z0-9+/]{22}==$/),
        status: 'COMPLETED',
        data: { status: 'created', snapshotId: expect.stringMatching(/^snap-/) },
      });
      expect(made.has(item.data.snapshotId)).toBe(true);
      // Epoch seconds (the table's TTL attribute), 15 days on.
      expect(item.expiration * 1000 - Date.now()).toBeGreaterThan(14 * 24 * 3600 * 1000);
    }
    for (const mark of marks) {
      expect(mark).toMatchObject({ outcome: 'open', attemptedAt: expect.any(Number) });
      expect(mark.expiration * 1000 - Date.now()).toBeGreaterThan(14 * 24 * 3600 * 1000);
    }
  });

  it.each([2, 5])(
    '%i executions started at once through the local Step Functions endpoint (serve) make one snapshot of each point',
    async (count) => {
      // Prepare
      const shared = await startStack([CREATE_LATENCY]);
      const endpoint = createSfnEndpoint({ stack: shared });
      const { url } = await endpoint.listen();
      const sfn = new SFNClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
        maxAttempts: 1,
      });

      try {
        // Act
        const started = await Promise.all(
          Array.from({ length: count }, (_, index) =>
            sfn.send(
              new StartExecutionCommand({
                stateMachineArn: endpoint.stateMachineArn,
                name: `served-${index}`,
                input: '{}',
              }),
            ),
          ),
        );
        const digests: ReportDigest[] = [];
        for (const { executionArn } of started) {
          for (;;) {
            const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
            if (described.status === 'RUNNING') {
              await new Promise((resolve) => setTimeout(resolve, 20));
              continue;
            }
            expect(described.status).toBe('SUCCEEDED');
            digests.push(JSON.parse(described.output ?? '{}') as ReportDigest);
            break;
          }
        }

        // Assess
        expect(snapshotsPerRecoveryPoint(shared)).toEqual(Array(DEMO_RECOVERY_POINTS).fill(1));
        expect(digests.reduce((sum, digest) => sum + digest.summary.created, 0)).toBe(DEMO_RECOVERY_POINTS);
        // As above: `existing`, or `already-snapshotted` for a listing that came after the create.
        const reported = (digest: ReportDigest) =>
          digest.summary.existing + (digest.summary.skippedByReason['already-snapshotted'] ?? 0);
        expect(digests.reduce((sum, digest) => sum + reported(digest), 0)).toBe(DEMO_RECOVERY_POINTS * (count - 1));
        expect(digests.map((digest) => digest.summary.failed)).toEqual(Array(count).fill(0));
      } finally {
        sfn.destroy();
        await endpoint.close();
      }
    },
  );
});
