import { generateFleet } from '../../src/local/fleet.ts';
import { type LocalRestoreWorld, startLocalRestoreWorld } from '../helpers/local-restore.ts';
import { NO_VISIBILITY_LAG } from '../helpers/local-workflow.ts';

// Restore (issue 14): the preflight's "the KMS keys can be used", on the real ASL against the emulator's KMS.
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

describe("the restore preflight and the snapshots' KMS key", () => {
  let world: LocalRestoreWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  /** Two gateways of three volumes, each with a completed snapshot encrypted with one key in `keyState`. */
  async function start(keyState: 'Enabled' | 'Disabled') {
    const fleet = generateFleet({ gateways: 2, volumesPerGateway: 3, snapshotHistory: { days: 1, everyHours: 24 } });
    world = await startLocalRestoreWorld({
      fleet: {
        ...fleet,
        kmsKeys: [{ keyId: KEY_ID, accountId: fleet.accountId, region: fleet.region, keyState }],
        snapshotKmsKeyId: KEY_ID,
      },
      faults: [NO_VISIBILITY_LAG],
    });
    const snapshots = world.emulator.snapshots();
    const manifest = [...new Set(snapshots.map((s) => s.gatewayArn))].map((gatewayArn) => ({
      gatewayArn,
      volumes: snapshots
        .filter((s) => s.gatewayArn === gatewayArn)
        .map((s) => ({ volumeArn: s.volumeArn, snapshotId: s.snapshotId })),
    }));
    const keyArn = `arn:aws:kms:${fleet.region}:${fleet.accountId}:key/${KEY_ID}`;
    return { world, snapshots, manifest, keyArn };
  }

  it('names every volume whose snapshot needs a disabled key, asks KMS once, and creates nothing', async () => {
    // Prepare
    const { world, snapshots, manifest, keyArn } = await start('Disabled');

    // Act
    const run = await world.restore({ manifest, target: { ebs: { availabilityZone: 'us-east-1a' } }, test: true });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(snapshots).toHaveLength(6);
    const preflight = run.report?.preflight ?? [];
    expect(preflight.map((p) => p.check)).toEqual(snapshots.map(() => 'kms-key'));
    expect(preflight.map((p) => p.subject).sort()).toEqual(snapshots.map((s) => s.volumeArn).sort());
    for (const snapshot of snapshots) {
      expect(preflight.map((p) => p.message)).toContain(
        `snapshot ${snapshot.snapshotId} is encrypted with key ${keyArn}, which is Disabled: enable it (aws kms enable-key --key-id ${keyArn}) or restore from another snapshot`,
      );
    }
    expect(world.emulator.calls.filter((c) => c.operation === 'DescribeKey')).toHaveLength(1);
    expect(world.emulator.calls.filter((c) => c.operation === 'CreateVolume')).toEqual([]);
    expect(world.emulator.restoredVolumes()).toEqual([]);
  });

  it('restores snapshots encrypted with an enabled key', async () => {
    // Prepare
    const { world, snapshots, manifest } = await start('Enabled');

    // Act
    const run = await world.restore({ manifest, target: { ebs: { availabilityZone: 'us-east-1a' } }, test: true });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.preflight).toEqual([]);
    expect(run.report?.summary).toMatchObject({ restored: snapshots.length, failed: 0, cleanedUp: snapshots.length });
    expect(world.emulator.calls.filter((c) => c.operation === 'DescribeKey').map((c) => c.error)).toEqual([undefined]);
  });
});
