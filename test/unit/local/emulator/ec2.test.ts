import { CreateTagsCommand, DescribeSnapshotsCommand, paginateDescribeSnapshots } from '@aws-sdk/client-ec2';
import { CreateSnapshotFromVolumeRecoveryPointCommand } from '@aws-sdk/client-storage-gateway';
import { MAX_CREATE_TAGS_RESOURCES } from '../../../../src/aws/ec2-lifecycle.ts';
import {
  type RunningEmulator,
  rejectionOf,
  startEmulator,
  TEST_START,
  UNUSED_VOLUME_ARN,
  VOLUME_ARN,
} from '../../../helpers/emulator.ts';

describe('EC2 operations', () => {
  let running: RunningEmulator;

  beforeEach(async () => {
    running = await startEmulator({ snapshotCompletionMs: 10_000 });
  });

  afterEach(async () => {
    await running.stop();
  });

  async function snapshot(volumeArn: string, tags: Record<string, string> = {}): Promise<string> {
    const response = await running.sgw.send(
      new CreateSnapshotFromVolumeRecoveryPointCommand({
        VolumeARN: volumeArn,
        SnapshotDescription: `of ${volumeArn}`,
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    return response.SnapshotId ?? '';
  }

  describe('DescribeSnapshots', () => {
    it('shows a Storage Gateway snapshot with its tags, size in GiB rounded up, owner and progress', async () => {
      // Prepare
      const id = await snapshot(UNUSED_VOLUME_ARN, { team: 'storage' });
      running.clock.advance(2_500);

      // Act
      const { Snapshots } = await running.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));

      // Assess
      expect(Snapshots).toEqual([
        expect.objectContaining({
          SnapshotId: id,
          State: 'pending',
          Progress: '25%',
          VolumeSize: 2,
          OwnerId: '111122223333',
          Description: `of ${UNUSED_VOLUME_ARN}`,
          StartTime: new Date(TEST_START),
          Tags: [{ Key: 'team', Value: 'storage' }],
        }),
      ]);
    });

    it('moves a snapshot from pending to completed, or to error once its volume is failed', async () => {
      // Prepare
      const good = await snapshot(VOLUME_ARN);
      const bad = await snapshot(UNUSED_VOLUME_ARN);
      running.emulator.failSnapshots(UNUSED_VOLUME_ARN);
      running.clock.advance(10_000);

      // Act
      const { Snapshots } = await running.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [good, bad] }));

      // Assess
      expect(Snapshots?.map((s) => [s.SnapshotId, s.State, s.Progress])).toEqual([
        [good, 'completed', '100%'],
        [bad, 'error', '0%'],
      ]);
      expect(running.emulator.snapshots().map((s) => s.state)).toEqual(['completed', 'error']);
    });

    it('filters by tag value with wildcards, tag key, status and volume size', async () => {
      // Prepare
      const [a, b, c] = [
        await snapshot(VOLUME_ARN, { env: 'prod-eu' }),
        await snapshot(VOLUME_ARN, { env: 'test' }),
        await snapshot(UNUSED_VOLUME_ARN, { owner: 'me' }),
      ];
      const describe = async (...filters: { Name: string; Values: string[] }[]) =>
        (await running.ec2.send(new DescribeSnapshotsCommand({ Filters: filters }))).Snapshots?.map(
          (s) => s.SnapshotId,
        );

      // Act
      const results = [
        await describe({ Name: 'tag:env', Values: ['prod-*', 'nothing'] }),
        await describe({ Name: 'tag-key', Values: ['owner'] }),
        await describe({ Name: 'volume-size', Values: ['500'] }, { Name: 'tag:env', Values: ['t?st'] }),
        await describe({ Name: 'status', Values: ['completed'] }),
      ];

      // Assess
      expect(results).toEqual([[a], [c], [b], []]);
    });

    it('pages with MaxResults and NextToken', async () => {
      // Prepare
      const ids = [];
      for (let i = 0; i < 7; i += 1) ids.push(await snapshot(VOLUME_ARN));

      // Act
      const pages = [];
      for await (const page of paginateDescribeSnapshots(
        { client: running.ec2, pageSize: 5 },
        { OwnerIds: ['self'] },
      )) {
        pages.push(page.Snapshots?.map((s) => s.SnapshotId));
      }

      // Assess
      expect(pages).toEqual([ids.slice(0, 5), ids.slice(5)]);
    });

    it('shows nothing for another owner', async () => {
      // Prepare
      await snapshot(VOLUME_ARN);

      // Act
      const { Snapshots } = await running.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['amazon'] }));

      // Assess
      expect(Snapshots).toEqual([]);
    });

    it.each([
      ['an unknown snapshot id', { SnapshotIds: ['snap-0123456789abcdef0'] }, 'InvalidSnapshot.NotFound'],
      ['MaxResults below 5', { MaxResults: 4 }, 'InvalidParameterValue'],
      ['an unknown filter', { Filters: [{ Name: 'colour', Values: ['red'] }] }, 'InvalidParameterValue'],
    ])('answers %s with %s', async (_case, input, name) => {
      // Act
      const error = await rejectionOf(running.ec2.send(new DescribeSnapshotsCommand(input)));

      // Assess
      expect(error.name).toBe(name);
      expect(error.$metadata?.httpStatusCode).toBe(400);
    });
  });

  describe('CreateTags', () => {
    it('adds and overwrites tags of snapshots', async () => {
      // Prepare
      const id = await snapshot(VOLUME_ARN, { keep: '1', change: 'old' });

      // Act
      await running.ec2.send(
        new CreateTagsCommand({
          Resources: [id],
          Tags: [
            { Key: 'change', Value: 'new' },
            { Key: 'added', Value: 'yes' },
          ],
        }),
      );

      // Assess
      expect(running.emulator.snapshots()[0]?.tags).toEqual({ keep: '1', change: 'new', added: 'yes' });
    });

    it('refuses an unknown snapshot and tags nothing', async () => {
      // Prepare
      const id = await snapshot(VOLUME_ARN);

      // Act
      const error = await rejectionOf(
        running.ec2.send(
          new CreateTagsCommand({ Resources: [id, 'snap-0000000000000000f'], Tags: [{ Key: 'a', Value: 'b' }] }),
        ),
      );

      // Assess
      expect(error.name).toBe('InvalidSnapshot.NotFound');
      expect(running.emulator.snapshots()[0]?.tags).toEqual({});
    });

    it('tags many snapshots in one call, and refuses more than EC2 takes in one', async () => {
      // Prepare
      const ids = [await snapshot(VOLUME_ARN), await snapshot(VOLUME_ARN)];
      const tags = [{ Key: 'a', Value: 'b' }];
      const tooMany = Array.from({ length: MAX_CREATE_TAGS_RESOURCES }, () => ids[0] ?? '');

      // Act
      await running.ec2.send(new CreateTagsCommand({ Resources: ids, Tags: tags }));
      const error = await rejectionOf(
        running.ec2.send(new CreateTagsCommand({ Resources: [...tooMany, ids[1] ?? ''], Tags: tags })),
      );

      // Assess
      expect(running.emulator.snapshots().map((s) => s.tags)).toEqual([{ a: 'b' }, { a: 'b' }]);
      expect(error.name).toBe('InvalidParameterValue');
    });
  });
});
