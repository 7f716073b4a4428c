import { EC2_VISIBILITY_DELAYS_MS } from '../../src/aws/ec2-visibility.ts';
import { RESTORE_FAILED } from '../../src/errors.ts';
import { generateFleet } from '../../src/local/fleet.ts';
import { volumesPerBatch } from '../../src/restore/batches.ts';
import { RESTORE_TAG } from '../../src/restore/tags.ts';
import {
  DR_GATEWAY_ARN,
  DR_NETWORK_INTERFACE,
  type LocalRestoreWorld,
  startLocalRestoreWorld,
} from '../helpers/local-restore.ts';
import { NO_VISIBILITY_LAG } from '../helpers/local-workflow.ts';

// Tests about something other than EC2's visibility lag switch it off: the preflight would wait it out (seconds of
// real time each). The first test and the "visibility lag" tests below keep it.

describe('restore of the demo fleet on the local engine against the emulator', () => {
  let world: LocalRestoreWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('restore-tests every snapshot to the DR gateway, records each RTO and deletes what it made, nothing else', async () => {
    // Prepare
    world = await startLocalRestoreWorld();
    const snapshotRun = await world.snapshot();
    const manifestUri = snapshotRun.evidence?.manifest;
    const snapshots = world.emulator.snapshots();

    // Act
    const run = await world.restore({
      manifestUri,
      target: { gateway: { gatewayArn: DR_GATEWAY_ARN, networkInterfaceId: DR_NETWORK_INTERFACE } },
      test: true,
      rtoTargetMinutes: 5,
    });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    const report = run.report;
    expect(report?.volumes).toHaveLength(snapshots.length);
    for (const row of report?.volumes ?? []) {
      expect(row).toMatchObject({ state: 'restored', status: 'AVAILABLE', rtoMet: true });
      expect(row.restoredVolume).toMatch(/^arn:aws:storagegateway:.*gateway\/sgw-67F8901A\/volume\/vol-/);
      expect(row.rtoMs).toBeGreaterThanOrEqual(300);
      expect(row.cleanup?.deleted).toBe(row.restoredVolume);
    }
    expect(new Set(report?.volumes.map((v) => v.snapshotId))).toEqual(new Set(snapshots.map((s) => s.snapshotId)));
    expect(report?.summary).toMatchObject({
      restored: snapshots.length,
      failed: 0,
      cleanedUp: snapshots.length,
      leftBehind: 0,
    });
    expect(world.emulator.restoredVolumes()).toEqual([]);
    const deleted = world.emulator.deletedVolumes();
    expect(deleted.map((d) => d.id).sort()).toEqual(report?.volumes.map((v) => v.restoredVolume).sort());
    for (const volume of deleted) expect(volume.tags[RESTORE_TAG.test]).toBe('true');
    expect(world.emulator.snapshots()).toHaveLength(snapshots.length);
  });

  it('restore-tests to EBS: available volumes of the right size, all deleted afterwards', async () => {
    // Prepare
    world = await startLocalRestoreWorld({ faults: [NO_VISIBILITY_LAG] });
    const snapshotRun = await world.snapshot();

    // Act
    const run = await world.restore({
      manifestUri: snapshotRun.evidence?.manifest,
      target: { ebs: { availabilityZone: 'us-east-1a' } },
      test: true,
    });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    const rows = run.report?.volumes ?? [];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatchObject({ state: 'restored', status: 'available' });
      expect(row.restoredVolume).toMatch(/^vol-[0-9a-f]{17}$/);
      expect(row.rtoMs).toEqual(expect.any(Number));
    }
    expect(run.digest?.volumes.map((v) => v.snapshotId).sort()).toEqual(rows.map((r) => r.snapshotId).sort());
    expect(world.emulator.restoredVolumes()).toEqual([]);
    expect(
      world.emulator
        .deletedVolumes()
        .map((d) => d.id)
        .sort(),
    ).toEqual(rows.map((r) => r.restoredVolume).sort());
  });

  it('makes no second volume when a create is retried after its answer was lost', async () => {
    // Prepare: the first create takes effect, then the connection drops.
    world = await startLocalRestoreWorld({
      faults: [
        { operation: 'CreateCachediSCSIVolume', firstN: 1, kind: 'reset', afterEffect: true },
        NO_VISIBILITY_LAG,
      ],
    });
    const snapshotRun = await world.snapshot();

    // Act
    const run = await world.restore({
      manifestUri: snapshotRun.evidence?.manifest,
      target: { gateway: { gatewayArn: DR_GATEWAY_ARN, networkInterfaceId: DR_NETWORK_INTERFACE } },
      volumeArns: [snapshotRun.evidence ? firstVolume(world) : ''],
    });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    const creates = world.emulator.calls.filter((c) => c.operation === 'CreateCachediSCSIVolume');
    expect(creates[0]?.error).toBe('ConnectionReset');
    expect(world.emulator.restoredVolumes()).toHaveLength(1);
    expect(run.report?.volumes).toEqual([
      expect.objectContaining({ state: 'restored', restoredVolume: world.emulator.restoredVolumes()[0]?.id }),
    ]);
  });

  it('fails the volume whose create meets a full cache, with a clear cause, and restores the others', async () => {
    // Prepare: the cache fills after the preflight read it, before the second create.
    world = await startLocalRestoreWorld({ faults: [NO_VISIBILITY_LAG] });
    const snapshotRun = await world.snapshot();
    const current = world;
    let creates = 0;

    // Act
    const run = await world.restore(
      {
        manifestUri: snapshotRun.evidence?.manifest,
        target: { gateway: { gatewayArn: DR_GATEWAY_ARN, networkInterfaceId: DR_NETWORK_INTERFACE } },
        maxConcurrency: 1,
      },
      {
        onEvent: (event) => {
          if (event.type === 'StateExited' && event.state.name === 'CreateRestoredVolume' && ++creates === 2) {
            current.emulator.setCacheFull(DR_GATEWAY_ARN, true);
          }
        },
      },
    );

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe(RESTORE_FAILED);
    const failed = run.report?.volumes.filter((v) => v.state === 'failed') ?? [];
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]?.failure?.Error).toBe('InvalidGatewayRequestException');
    expect(failed[0]?.failure?.Cause).toMatch(/cache disk of the gateway is full/);
    expect(run.report?.volumes.filter((v) => v.state === 'restored')).toHaveLength(2);
  });

  it('names every preflight problem and creates nothing', async () => {
    // Prepare
    world = await startLocalRestoreWorld({ faults: [NO_VISIBILITY_LAG] });
    const snapshotRun = await world.snapshot();
    world.emulator.setCacheFull(DR_GATEWAY_ARN, true);

    // Act
    const run = await world.restore({
      manifestUri: snapshotRun.evidence?.manifest,
      target: { gateway: { gatewayArn: DR_GATEWAY_ARN, networkInterfaceId: '10.9.9.9' } },
    });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.report?.preflight.map((p) => p.check)).toEqual(['network-interface', 'cache']);
    expect(world.emulator.calls.filter((c) => c.operation === 'CreateCachediSCSIVolume')).toEqual([]);
  });

  describe("EC2's visibility lag of the run's new snapshots", () => {
    const target = { gateway: { gatewayArn: DR_GATEWAY_ARN, networkInterfaceId: DR_NETWORK_INTERFACE } };
    const waits: number[] = [];
    let shiftMs = 0;
    /** A world whose EC2 shows a new snapshot `lagMs` after it was made; the preflight's waits move its clock. */
    const laggingWorld = (lagMs: number) => {
      waits.length = 0;
      shiftMs = 0;
      return startLocalRestoreWorld({
        now: () => Date.now() + shiftMs,
        faults: [{ operation: 'CreateSnapshotFromVolumeRecoveryPoint', visibilityLagMs: lagMs }],
        snapshotLag: {
          sleep: async (ms) => {
            waits.push(ms);
            shiftMs += ms;
          },
        },
      });
    };
    const refusedDescribes = (current: LocalRestoreWorld) =>
      current.emulator.calls.filter(
        (c) => c.operation === 'DescribeSnapshots' && c.error === 'InvalidSnapshot.NotFound',
      );

    it('waits, backing off, for the snapshots EC2 does not show yet when the restore starts right after the run', async () => {
      // Prepare: 10 s of lag, longer than the run takes, so the preflight's first look misses the new snapshots.
      world = await laggingWorld(10_000);
      const snapshotRun = await world.snapshot();

      // Act
      const run = await world.restore({ manifestUri: snapshotRun.evidence?.manifest, target, check: true });

      // Assess
      expect(run.status).toBe('SUCCEEDED');
      expect(run.report?.preflight).toEqual([]);
      expect(refusedDescribes(world).length).toBeGreaterThan(0);
      expect(waits.length).toBeGreaterThan(0);
      expect(waits).toEqual(EC2_VISIBILITY_DELAYS_MS.slice(0, waits.length));
      expect(world.emulator.calls.filter((c) => c.operation === 'CreateCachediSCSIVolume')).toEqual([]);
    });

    it('names a snapshot still unknown after the whole backoff missing, and creates nothing', async () => {
      // Prepare: an hour of lag, longer than the preflight waits.
      world = await laggingWorld(3_600_000);
      const snapshotRun = await world.snapshot();
      const snapshots = world.emulator.snapshots();

      // Act
      const run = await world.restore({ manifestUri: snapshotRun.evidence?.manifest, target });

      // Assess
      expect(run.status).toBe('FAILED');
      expect(waits).toEqual(EC2_VISIBILITY_DELAYS_MS);
      expect(run.report?.preflight.map((p) => p.check)).toEqual(snapshots.map(() => 'snapshot-exists'));
      expect(run.report?.preflight.map((p) => p.message).sort()).toEqual(
        snapshots.map((s) => `snapshot ${s.snapshotId} does not exist`).sort(),
      );
      expect(world.emulator.calls.filter((c) => c.operation === 'CreateCachediSCSIVolume')).toEqual([]);
    });
  });
});

function firstVolume(world: LocalRestoreWorld): string {
  const [snapshot] = world.emulator.snapshots();
  return snapshot?.volumeArn ?? '';
}

describe('a whole fleet restored in one execution', () => {
  let world: LocalRestoreWorld | undefined;
  afterAll(async () => {
    await world?.close();
  });

  it('restore-tests 224 volumes to EBS in batches of child executions, each within the 25,000 events and 256 KiB', async () => {
    // Prepare: 7 gateways of 32 volumes, each with a completed snapshot of an earlier run. One execution used to
    // hold at most 200 volumes, and at the default polling (every 60 s for up to 60 minutes) its history held 43;
    // now each batch of at most 43 is a child execution.
    world = await startLocalRestoreWorld({
      fleet: generateFleet({ gateways: 7, volumesPerGateway: 32, snapshotHistory: { days: 1, everyHours: 24 } }),
      faults: [NO_VISIBILITY_LAG],
    });
    const snapshots = world.emulator.snapshots();
    const gatewayArns = [...new Set(snapshots.map((s) => s.gatewayArn))];
    const manifest = gatewayArns.map((gatewayArn) => ({
      gatewayArn,
      volumes: snapshots
        .filter((s) => s.gatewayArn === gatewayArn)
        .map((s) => ({ volumeArn: s.volumeArn, snapshotId: s.snapshotId })),
    }));
    let children = 0;

    // Act
    const run = await world.restore(
      { manifest, target: { ebs: { availabilityZone: 'us-east-1a' } }, test: true, maxConcurrency: 40 },
      {
        onEvent: (event) => {
          if (event.type === 'StateEntered' && event.state.name === 'LoadRestoreBatch') children += 1;
        },
      },
    );

    // Assess: the runner fails an execution (and its children) past either limit, so SUCCEEDED is within both.
    expect(snapshots).toHaveLength(224);
    expect(run.status).toBe('SUCCEEDED');
    expect(children).toBe(Math.ceil(224 / volumesPerBatch(60, 60)));
    expect(run.report?.summary).toMatchObject({
      volumes: 224,
      restored: 224,
      failed: 0,
      cleanedUp: 224,
      leftBehind: 0,
    });
    expect(new Set(run.report?.volumes.map((v) => v.snapshotId))).toEqual(new Set(snapshots.map((s) => s.snapshotId)));
    expect(world.emulator.restoredVolumes()).toEqual([]);
  }, 60_000);
});
