import { createEc2Client, createStorageGatewayClient } from '../../src/aws/clients.ts';
import { readerOf } from '../../src/cli/evidence.ts';
import { GATEWAY_NOT_REPORTED, INVALID_INPUT, SNAPSHOTS_FAILED } from '../../src/errors.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { MAX_COMPLETION_CHECKS, MAX_PLANNED_STATE_BYTES } from '../../src/input/limits.ts';
import { SimulatedClock } from '../../src/local/clock.ts';
import { createEmulator, type FaultRule, gatewayArnOf, volumeArnOf } from '../../src/local/emulator/index.ts';
import { DATA_LIMIT_EXCEEDED, MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES } from '../../src/local/execution-limits.ts';
import { type Fleet, generateFleet } from '../../src/local/fleet.ts';
import { type EngineEvent, startLocalExecution } from '../../src/local/runner.ts';
import { DEFAULT_LOCAL_EVIDENCE_BUCKET } from '../../src/local/s3-server.ts';
import { createStepHandlers } from '../../src/local/step-handlers.ts';
import type { ExecutionReport } from '../../src/report/execution-report.ts';
import type { StepHandler } from '../../src/workflow/descriptor.ts';
import { SnapshotState, snapshotWorkflow } from '../../src/workflow/snapshot.ts';
import { startTestS3 } from '../helpers/local-s3.ts';

/** A step handler replaced by the test: it sees each request first and may answer it itself. */
type Override = (
  request: Record<string, unknown>,
  real: (request: Record<string, unknown>) => Promise<unknown>,
) => Promise<unknown>;

/** The real ASL and handlers against an emulator and a local S3 server, some handlers wrapped by the test. */
async function startStack(fleet: Fleet, faults: readonly FaultRule[] = []) {
  // EC2's visibility lag on (the cloud's default): Summarise finds a failed child's snapshots by the execution's tag
  // through it, backing off on a clock that its sleeps move instead of waiting.
  const clock = new SimulatedClock();
  const emulator = createEmulator({ fleet, faults, now: clock.now });
  const { url } = await emulator.listen();
  const config = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const storageGateway = createStorageGatewayClient(config);
  const ec2 = createEc2Client(config);
  const testS3 = await startTestS3([DEFAULT_LOCAL_EVIDENCE_BUCKET]);
  const evidence = createEvidenceStore({ s3: testS3.s3 });
  const reader = readerOf(evidence, testS3.url);
  // Summarise's `visibility` (`SummariseDependencies`) rides along with the dependencies every handler gets.
  const deps = {
    storageGateway,
    ec2,
    now: clock.now,
    visibility: { sleep: async (ms: number) => clock.advanceTo(clock.now() + ms) },
    evidence,
    evidenceBucket: () => DEFAULT_LOCAL_EVIDENCE_BUCKET,
  };
  const real = createStepHandlers(snapshotWorkflow, deps);
  return {
    async run(input: unknown, overrides: Record<string, Override> = {}, onEvent?: (event: EngineEvent) => void) {
      const handlers = Object.fromEntries(
        Object.entries(real).map(([key, handler]): [string, StepHandler] => {
          const override = overrides[key];
          return [
            key,
            override
              ? (request, context) => override(request as never, (changed) => handler(changed as never, context))
              : handler,
          ];
        }),
      );
      const result = await startLocalExecution({
        workflow: snapshotWorkflow,
        handlers,
        input,
        compressedWaitMs: 0,
        ...(onEvent && { onEvent }),
      }).result;
      const digest = snapshotWorkflow.reportOf(result);
      const report: ExecutionReport | undefined = digest && (await reader.readReport(digest));
      return { ...result, report };
    },
    emulator,
    clock,
    async close() {
      storageGateway.destroy();
      ec2.destroy();
      await Promise.all([emulator.close(), testS3.close()]);
    },
  };
}

/** An error as a Lambda function raises it: its name is what the ASL and the Map Run see. */
function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

describe('the local runner keeps the limits of Step Functions', () => {
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  describe("one gateway's failure never costs the others' evidence", () => {
    const fleet = generateFleet({ gateways: 4, volumesPerGateway: 3 });
    const broken = gatewayArnOf(fleet, fleet.gateways[1]?.id ?? '');
    const huge = gatewayArnOf(fleet, fleet.gateways[2]?.id ?? '');

    it('reports a child that timed out or passed 256 KiB as GatewayNotReported, and every other gateway whole', async () => {
      // Prepare
      stack = await startStack(fleet);
      const children: string[] = [];
      const overrides: Record<string, Override> = {
        // A Lambda timeout of the step that writes the gateway's account: its child execution fails.
        summariseGateway: async (request, real) => {
          if (request.gatewayArn === broken) throw named('Sandbox.Timedout', 'Task timed out after 30.00 seconds');
          return real(request);
        },
        // A listing past 256 KiB: States.DataLimitExceeded, which no Catch catches, fails the child.
        listRecoveryPoints: async (request, real) => {
          const listed = (await real(request)) as Record<string, unknown>;
          return request.gatewayArn === huge ? { ...listed, padding: 'x'.repeat(MAX_PAYLOAD_BYTES) } : listed;
        },
      };

      // Act
      const run = await stack.run({ maxConcurrency: { gateways: 4 } }, overrides, (event) => {
        if (event.type === 'StateEntered' && event.state.name === SnapshotState.ListRecoveryPoints) {
          children.push(String((event.state.input as { gatewayArn: string }).gatewayArn));
        }
      });

      // Assess
      expect(run.error).toBe(SNAPSHOTS_FAILED);
      expect(children.sort()).toEqual(fleet.gateways.map((g) => gatewayArnOf(fleet, g.id)).sort());
      expect(run.report?.failures).toHaveLength(2);
      expect(run.report?.failures).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ gatewayArn: broken, error: GATEWAY_NOT_REPORTED }),
          expect.objectContaining({ gatewayArn: huge, error: GATEWAY_NOT_REPORTED }),
        ]),
      );
      // Every volume of the other gateways has its snapshot (the timed-out child made its own before it failed).
      expect(run.report?.summary).toMatchObject({ gateways: 4, created: 9, failed: 2 });
      const snapshotted = new Set(run.report?.snapshots.map((s) => s.volumeArn));
      for (const gateway of fleet.gateways) {
        const listed = gatewayArnOf(fleet, gateway.id) !== huge;
        for (const volume of gateway.volumes) {
          expect(snapshotted.has(volumeArnOf(fleet, gateway.id, volume.id))).toBe(listed);
        }
      }
    });

    it('lists in the manifest the snapshot a failed child made, though EC2 still hides it when Summarise first looks', async () => {
      // Prepare: EC2 shows new snapshots only after 4 s; the child of `broken` fails after its creates.
      const lagMs = 4_000;
      stack = await startStack(fleet, [{ operation: 'CreateSnapshotFromVolumeRecoveryPoint', visibilityLagMs: lagMs }]);
      let summariseStarted = 0;
      let summariseEnded = 0;
      const overrides: Record<string, Override> = {
        summariseGateway: async (request, real) => {
          if (request.gatewayArn === broken) throw named('Sandbox.Timedout', 'Task timed out after 30.00 seconds');
          return real(request);
        },
        summarise: async (request, real) => {
          summariseStarted = stack?.clock.now() ?? 0;
          const answer = await real(request);
          summariseEnded = stack?.clock.now() ?? 0;
          return answer;
        },
      };

      // Act
      const run = await stack.run({ maxConcurrency: { gateways: 4 } }, overrides);

      // Assess: Summarise began inside the lag of the broken gateway's last create, and still lists its snapshots.
      const creates = stack.emulator.calls.filter(
        (c) => c.operation === 'CreateSnapshotFromVolumeRecoveryPoint' && String(c.params.VolumeARN).startsWith(broken),
      );
      expect(creates).toHaveLength(3);
      expect(summariseStarted).toBeLessThan(Math.max(...creates.map((c) => c.time)) + lagMs);
      expect(summariseEnded).toBeGreaterThanOrEqual(Math.max(...creates.map((c) => c.time)) + lagMs);
      expect(run.report?.failures).toEqual([
        expect.objectContaining({ gatewayArn: broken, error: GATEWAY_NOT_REPORTED }),
      ]);
      const made = stack.emulator.snapshots().filter((s) => s.gatewayArn === broken);
      const entry = run.report?.manifest.find((g) => g.gatewayArn === broken);
      expect(entry?.volumes.map((v) => v.snapshotId).sort()).toEqual(made.map((s) => s.snapshotId).sort());
      expect(run.report?.summary).toMatchObject({ gateways: 4, created: 12, failed: 1 });
    });

    it('fails the execution with States.DataLimitExceeded when a state of its own passes 256 KiB', async () => {
      // Prepare
      stack = await startStack(fleet);

      // Act
      const run = await stack.run(
        {},
        {
          plan: async (request, real) => ({
            ...((await real(request)) as object),
            padding: 'x'.repeat(MAX_PAYLOAD_BYTES),
          }),
        },
      );

      // Assess
      expect(run).toMatchObject({ status: 'FAILED', error: DATA_LIMIT_EXCEEDED });
      expect(run.cause).toContain(`'${SnapshotState.Plan}'`);
    });
  });

  describe('Plan refuses an input whose state would pass 256 KiB', () => {
    it('with InvalidInput naming the field, before any gateway is listed', async () => {
      // Prepare
      const fleet = generateFleet({ gateways: 1, volumesPerGateway: 1 });
      stack = await startStack(fleet);
      const gatewayArn = gatewayArnOf(fleet, fleet.gateways[0]?.id ?? '');
      const volumeArnAt = (i: number) => `${gatewayArn}/volume/vol-${String(i).padStart(17, '0')}`;
      const count = Math.ceil(MAX_PLANNED_STATE_BYTES / (volumeArnAt(0).length + 3));
      const volumeArns = Array.from({ length: count }, (_, i) => volumeArnAt(i));
      // The input itself fits: only the planned state, with the defaults and the gateways, would not.
      expect(Buffer.byteLength(JSON.stringify({ gatewayArns: [gatewayArn], volumeArns }))).toBeLessThan(
        MAX_PAYLOAD_BYTES,
      );
      const listed: string[] = [];

      // Act
      const run = await stack.run({ gatewayArns: [gatewayArn], volumeArns }, {}, (event) => {
        if (event.type === 'StateEntered') listed.push(event.state.name);
      });

      // Assess
      expect(run).toMatchObject({ status: 'FAILED', error: INVALID_INPUT });
      expect(run.cause).toContain('volumeArns');
      expect(listed).toEqual([SnapshotState.Plan]);
    });
  });

  describe('the completion wait of the worst input the schema accepts', () => {
    it(`polls ${MAX_COMPLETION_CHECKS} times, a retry each, and stays under ${MAX_HISTORY_EVENTS} events`, async () => {
      // Prepare: the longest wait at the shortest interval it allows; each check fails once and is retried.
      const fleet = generateFleet({ gateways: 1, volumesPerGateway: 2 });
      stack = await startStack(fleet);
      const interval = 60;
      const input = {
        waitForCompletion: true,
        completionCheckIntervalSeconds: interval,
        completionTimeoutMinutes: ((MAX_COMPLETION_CHECKS - 1) * interval) / 60,
      };
      let polls = 0;
      let attempts = 0;
      // The clock moves one interval per poll: pending until the timeout, then reported as timed out.
      const checkSnapshots: Override = async () => {
        attempts += 1;
        if (attempts % 2 === 1) throw named('Lambda.ServiceException', 'Lambda is briefly unavailable');
        polls += 1;
        return { pending: (polls - 1) * interval < input.completionTimeoutMinutes * 60 ? 1 : 0 };
      };

      // Act
      const run = await stack.run(input, { checkSnapshots });

      // Assess
      expect(run.status).toBe('SUCCEEDED');
      expect(polls).toBe(MAX_COMPLETION_CHECKS);
      expect(attempts).toBe(2 * MAX_COMPLETION_CHECKS);
      console.log(`worst accepted wait: ${polls} polls, ${attempts} attempts, ${run.historyEventCount} history events`);
      expect(run.historyEventCount).toBeLessThan(MAX_HISTORY_EVENTS);
      expect(run.historyEventCount).toBeGreaterThan(12 * MAX_COMPLETION_CHECKS);
    }, 120_000);

    it('refuses one minute more with InvalidInput naming completionTimeoutMinutes', async () => {
      // Prepare
      const fleet = generateFleet({ gateways: 1, volumesPerGateway: 1 });
      stack = await startStack(fleet);

      // Act
      const run = await stack.run({
        waitForCompletion: true,
        completionCheckIntervalSeconds: 60,
        completionTimeoutMinutes: MAX_COMPLETION_CHECKS,
      });

      // Assess
      expect(run).toMatchObject({ status: 'FAILED', error: INVALID_INPUT });
      expect(run.cause).toContain('completionTimeoutMinutes');
    });
  });
});
