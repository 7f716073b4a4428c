import {
  CopySnapshotCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateSnapshotFromVolumeRecoveryPointCommand } from '@aws-sdk/client-storage-gateway';
import { CONCURRENT_COPIES_PER_DESTINATION_REGION } from '../../../../src/copies/limits.ts';
import { type RunningEmulator, rejectionOf, startEmulator, VOLUME_ARN } from '../../../helpers/emulator.ts';

const DESTINATION = 'eu-west-1';

describe('EC2 in several Regions: CopySnapshot (issue 13)', () => {
  let running: RunningEmulator;
  let destination: EC2Client;

  beforeEach(async () => {
    running = await startEmulator({ snapshotCompletionMs: 1_000, copyCompletionMs: 10_000 });
    destination = new EC2Client({
      endpoint: running.url,
      region: DESTINATION,
      credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    destination.destroy();
    await running.stop();
  });

  async function source({ completed = true } = {}): Promise<string> {
    const made = await running.sgw.send(
      new CreateSnapshotFromVolumeRecoveryPointCommand({ VolumeARN: VOLUME_ARN, SnapshotDescription: 'nightly' }),
    );
    if (completed) running.clock.advance(1_000);
    return made.SnapshotId ?? '';
  }

  const copy = (sourceId: string, tags: Record<string, string> = {}) =>
    destination.send(
      new CopySnapshotCommand({
        SourceRegion: 'us-east-1',
        SourceSnapshotId: sourceId,
        TagSpecifications: [
          { ResourceType: 'snapshot', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
        ],
      }),
    );

  it('makes the copy in the Region the request is signed for, tagged from birth, pending then completed', async () => {
    // Prepare
    const sourceId = await source();

    // Act
    const { SnapshotId } = await copy(sourceId, { 'copy-of': sourceId });
    const pending = await destination.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    running.clock.advance(10_000);
    const completed = await destination.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    const inSource = await running.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));

    // Assess
    expect(SnapshotId).toMatch(/^snap-/);
    expect(SnapshotId).not.toBe(sourceId);
    expect(pending.Snapshots).toEqual([
      expect.objectContaining({ SnapshotId, State: 'pending', Tags: [{ Key: 'copy-of', Value: sourceId }] }),
    ]);
    expect(completed.Snapshots?.map((s) => s.State)).toEqual(['completed']);
    expect(inSource.Snapshots?.map((s) => s.SnapshotId)).toEqual([sourceId]);
    expect(running.emulator.snapshots().map((s) => [s.region, s.copiedFrom])).toEqual([
      ['us-east-1', undefined],
      [DESTINATION, sourceId],
    ]);
  });

  it('answers ResourceLimitExceeded past 20 copies in flight to one Region, and copies again once one completes', async () => {
    // Prepare
    const sourceId = await source();
    for (let i = 0; i < CONCURRENT_COPIES_PER_DESTINATION_REGION; i += 1) await copy(sourceId);

    // Act
    const refused = await rejectionOf(copy(sourceId));
    running.clock.advance(10_000);
    const afterwards = await copy(sourceId);

    // Assess
    expect(refused.name).toBe('ResourceLimitExceeded');
    expect(refused.message).toContain('The limit is 20 for this destination region');
    expect(afterwards.SnapshotId).toMatch(/^snap-/);
    expect(running.emulator.snapshots().filter((s) => s.copiedFrom)).toHaveLength(21);
  });

  it('refuses to copy a source that is still pending, or one the named Region does not hold', async () => {
    // Prepare
    const pendingId = await source({ completed: false });

    // Act
    const incorrect = await rejectionOf(copy(pendingId));
    running.clock.advance(1_000);
    const wrongRegion = await rejectionOf(
      destination.send(new CopySnapshotCommand({ SourceRegion: 'us-west-2', SourceSnapshotId: pendingId })),
    );

    // Assess
    expect(incorrect.name).toBe('IncorrectState');
    expect(wrongRegion.name).toBe('InvalidSnapshot.NotFound');
  });

  it('keeps each Region to its own snapshots: a copy cannot be tagged, described or deleted from the source Region', async () => {
    // Prepare
    const { SnapshotId } = await copy(await source());
    const copyId = SnapshotId ?? '';

    // Act
    const describe = await rejectionOf(running.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [copyId] })));
    const tag = await rejectionOf(
      running.ec2.send(new CreateTagsCommand({ Resources: [copyId], Tags: [{ Key: 'k', Value: 'v' }] })),
    );
    const remove = await rejectionOf(running.ec2.send(new DeleteSnapshotCommand({ SnapshotId: copyId })));
    await destination.send(new DeleteSnapshotCommand({ SnapshotId: copyId }));

    // Assess
    expect([describe.name, tag.name, remove.name]).toEqual(Array(3).fill('InvalidSnapshot.NotFound'));
    expect(running.emulator.snapshots().filter((s) => s.copiedFrom)).toEqual([]);
  });
});
