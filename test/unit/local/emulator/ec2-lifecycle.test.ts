import {
  DeleteSnapshotCommand,
  DescribeLockedSnapshotsCommand,
  DescribeSnapshotsCommand,
  DescribeSnapshotTierStatusCommand,
  LockSnapshotCommand,
  ModifySnapshotTierCommand,
  paginateDescribeSnapshots,
  UnlockSnapshotCommand,
} from '@aws-sdk/client-ec2';
import { CreateSnapshotFromVolumeRecoveryPointCommand } from '@aws-sdk/client-storage-gateway';
import { DEFAULT_CLOUD_RULES, EC2_MUTATING_BUCKET } from '../../../../src/local/emulator/cloud-rules.ts';
import { SNAPSHOT_IN_USE, SNAPSHOT_LOCKED } from '../../../../src/local/emulator/ec2-lifecycle-operations.ts';
import { SNAPSHOT_TAG } from '../../../../src/snapshot/tags.ts';
import {
  CACHED_GATEWAY_ARN,
  type RunningEmulator,
  rejectionOf,
  startEmulator,
  TEST_FLEET,
  VOLUME_ARN,
} from '../../../helpers/emulator.ts';

const DAY = 86_400_000;

describe('EC2 snapshot lifecycle operations', () => {
  let running: RunningEmulator;

  beforeEach(async () => {
    running = await startEmulator({ fleet: { ...TEST_FLEET, snapshotHistory: { days: 10, everyHours: 6 } } });
  });

  afterEach(async () => {
    await running.stop();
  });

  async function ofGateway(): Promise<string[]> {
    const ids: string[] = [];
    const pages = paginateDescribeSnapshots(
      { client: running.ec2, pageSize: 1000 },
      { OwnerIds: ['self'], Filters: [{ Name: `tag:${SNAPSHOT_TAG.gatewayArn}`, Values: [CACHED_GATEWAY_ARN] }] },
    );
    for await (const page of pages) for (const s of page.Snapshots ?? []) ids.push(s.SnapshotId ?? '');
    return ids;
  }

  it('seeds a year of 6-hourly snapshots on every cached volume, tagged as ours, paged by DescribeSnapshots', async () => {
    // Prepare
    await running.stop();
    running = await startEmulator({ fleet: { ...TEST_FLEET, snapshotHistory: { days: 365, everyHours: 6 } } });

    // Act
    const ids = await ofGateway();

    // Assess: two cached volumes, 1,460 each; the stored gateway gets none.
    expect(ids).toHaveLength(2 * 1460);
    expect(new Set(ids).size).toBe(ids.length);
    const { Snapshots = [] } = await running.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [ids[0] ?? ''] }));
    expect(Snapshots[0]?.State).toBe('completed');
    expect(Snapshots[0]?.Tags?.map((t) => t.Key).sort()).toEqual(Object.values(SNAPSHOT_TAG).sort());
  });

  it('deletes a snapshot, answers NotFound for it afterwards, and never reuses its ID', async () => {
    // Prepare
    const [first] = await ofGateway();

    // Act
    await running.ec2.send(new DeleteSnapshotCommand({ SnapshotId: first }));
    const again = await rejectionOf(running.ec2.send(new DeleteSnapshotCommand({ SnapshotId: first })));
    const made = await running.sgw.send(
      new CreateSnapshotFromVolumeRecoveryPointCommand({ VolumeARN: VOLUME_ARN, SnapshotDescription: 'new' }),
    );

    // Assess
    expect(again.name).toBe('InvalidSnapshot.NotFound');
    const ids = await ofGateway();
    expect(ids).not.toContain(first);
    expect(new Set([...ids, first]).size).toBe(ids.length + 1);
    expect(ids).not.toContain(made.SnapshotId);
    expect(running.emulator.snapshots().map((s) => s.snapshotId)).toContain(made.SnapshotId);
  });

  it('answers InvalidSnapshot.InUse for the snapshot a fault rule names, and deletes the others', async () => {
    // Prepare
    const [used, free] = await ofGateway();
    running.emulator.setFaults([{ operation: 'DeleteSnapshot', snapshotId: used, error: SNAPSHOT_IN_USE }]);

    // Act
    const error = await rejectionOf(running.ec2.send(new DeleteSnapshotCommand({ SnapshotId: used })));
    await running.ec2.send(new DeleteSnapshotCommand({ SnapshotId: free }));

    // Assess
    expect(error.name).toBe(SNAPSHOT_IN_USE);
    expect(await ofGateway()).toContain(used);
    expect(await ofGateway()).not.toContain(free);
  });

  it('locks in governance mode, refuses to delete until unlocked, and shows the lock', async () => {
    // Prepare
    const [id] = await ofGateway();

    // Act
    const locked = await running.ec2.send(
      new LockSnapshotCommand({ SnapshotId: id, LockMode: 'governance', LockDuration: 30 }),
    );
    const refused = await rejectionOf(running.ec2.send(new DeleteSnapshotCommand({ SnapshotId: id })));
    const described = await running.ec2.send(
      new DescribeLockedSnapshotsCommand({ Filters: [{ Name: 'lock-state', Values: ['governance'] }] }),
    );
    await running.ec2.send(new UnlockSnapshotCommand({ SnapshotId: id }));
    await running.ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }));

    // Assess
    expect(locked).toMatchObject({ SnapshotId: id, LockState: 'governance', LockDuration: 30 });
    expect(refused.name).toBe(SNAPSHOT_LOCKED);
    expect(described.Snapshots?.map((s) => [s.SnapshotId, s.LockState])).toEqual([[id, 'governance']]);
  });

  it('holds a compliance lock after its cool-off: no unlock, no shortening, and expired after its duration', async () => {
    // Prepare
    const [id] = await ofGateway();
    const lock = (fields: Partial<{ LockDuration: number; CoolOffPeriod: number }>) =>
      running.ec2.send(new LockSnapshotCommand({ SnapshotId: id, LockMode: 'compliance', ...fields }));

    // Act
    const cooling = await lock({ LockDuration: 10, CoolOffPeriod: 24 });
    running.clock.advance(25 * 3_600_000);
    const unlock = await rejectionOf(running.ec2.send(new UnlockSnapshotCommand({ SnapshotId: id })));
    const shorter = await rejectionOf(lock({ LockDuration: 5 }));
    running.clock.advance(10 * DAY);
    const { Snapshots = [] } = await running.ec2.send(new DescribeLockedSnapshotsCommand({ SnapshotIds: [id ?? ''] }));
    await running.ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }));

    // Assess
    expect(cooling.LockState).toBe('compliance-cooloff');
    expect(unlock.name).toBe(SNAPSHOT_LOCKED);
    expect(shorter.name).toBe(SNAPSHOT_LOCKED);
    expect(Snapshots[0]?.LockState).toBe('expired');
  });

  it.each([
    [{ LockMode: 'governance', CoolOffPeriod: 2, LockDuration: 1 }, 'InvalidParameterCombination'],
    [{ LockMode: 'compliance' }, 'InvalidParameterCombination'],
    [{ LockMode: 'compliance', LockDuration: 36_501 }, 'InvalidParameterValue'],
    [{ LockMode: 'compliance', LockDuration: 1, CoolOffPeriod: 73 }, 'InvalidParameterValue'],
    [
      { LockMode: 'compliance', LockDuration: 1, ExpirationDate: new Date('2030-01-01') },
      'InvalidParameterCombination',
    ],
  ] as const)('refuses a lock of %j with %s', async (fields, error) => {
    const [id] = await ofGateway();

    const rejection = await rejectionOf(running.ec2.send(new LockSnapshotCommand({ SnapshotId: id, ...fields })));

    expect(rejection.name).toBe(error);
  });

  it('archives a completed snapshot once and shows its tier', async () => {
    // Prepare
    const [id] = await ofGateway();

    // Act
    const archived = await running.ec2.send(new ModifySnapshotTierCommand({ SnapshotId: id, StorageTier: 'archive' }));
    const twice = await rejectionOf(running.ec2.send(new ModifySnapshotTierCommand({ SnapshotId: id })));
    const status = await running.ec2.send(new DescribeSnapshotTierStatusCommand({}));
    const { Snapshots = [] } = await running.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id ?? ''] }));

    // Assess
    expect(archived.SnapshotId).toBe(id);
    expect(twice.name).toBe('IncorrectState');
    expect(status.SnapshotTierStatuses?.map((s) => [s.SnapshotId, s.StorageTier])).toEqual([[id, 'archive']]);
    expect(Snapshots[0]?.StorageTier).toBe('archive');
  });

  it('throttles deletes with EC2’s mutating bucket under the cloud rules: 50 at once, then 5 a second', async () => {
    // Prepare
    await running.stop();
    running = await startEmulator({
      fleet: { ...TEST_FLEET, snapshotHistory: { days: 20, everyHours: 6 } },
      cloud: DEFAULT_CLOUD_RULES,
    });
    const ids = (await ofGateway()).slice(0, EC2_MUTATING_BUCKET.burst + 2);
    const remove = (id: string) => running.ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }));

    // Act
    for (const id of ids.slice(0, EC2_MUTATING_BUCKET.burst)) await remove(id);
    const throttled = await rejectionOf(remove(ids[EC2_MUTATING_BUCKET.burst] ?? ''));
    running.clock.advance(1000 / EC2_MUTATING_BUCKET.perSecond);
    await remove(ids[EC2_MUTATING_BUCKET.burst + 1] ?? '');

    // Assess
    expect(throttled.name).toBe('RequestLimitExceeded');
  });
});
