import { DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { EC2_VISIBILITY_DELAYS_MS } from '../../../src/aws/ec2-visibility.ts';
import { snapshotFactsOnceVisible } from '../../../src/aws/restore-ebs.ts';

const ec2 = mockClient(EC2Client);
const client = new EC2Client({ region: 'us-east-1' });

/** EC2 that knows `known()` now and refuses a whole call naming one ID it does not know, as DescribeSnapshots does. */
function describesKnowing(known: () => ReadonlySet<string>): string[][] {
  const asked: string[][] = [];
  ec2.on(DescribeSnapshotsCommand).callsFake(({ SnapshotIds = [] }: { SnapshotIds?: string[] }) => {
    asked.push(SnapshotIds);
    const unknown = SnapshotIds.find((id) => !known().has(id));
    if (unknown)
      throw Object.assign(new Error(`The snapshot '${unknown}' does not exist.`), { name: 'InvalidSnapshot.NotFound' });
    return { Snapshots: SnapshotIds.map((id) => ({ SnapshotId: id, State: 'completed', VolumeSize: 10 })) };
  });
  return asked;
}

describe('snapshotFactsOnceVisible', () => {
  beforeEach(() => ec2.reset());

  it('asks again, backing off, only about the snapshots EC2 does not know yet, until it knows them', async () => {
    // Prepare: snap-new becomes known after the second wait.
    const waits: number[] = [];
    const known = new Set(['snap-old']);
    const asked = describesKnowing(() => known);
    const sleep = async (ms: number) => {
      waits.push(ms);
      if (waits.length === 2) known.add('snap-new');
    };

    // Act
    const facts = await snapshotFactsOnceVisible(client, ['snap-old', 'snap-new'], { sleep });

    // Assess
    expect(Object.keys(facts).sort()).toEqual(['snap-new', 'snap-old']);
    expect(waits).toEqual(EC2_VISIBILITY_DELAYS_MS.slice(0, 2));
    expect(asked).toEqual([['snap-old', 'snap-new'], ['snap-old'], ['snap-new'], ['snap-new'], ['snap-new']]);
  });

  it('leaves out a snapshot EC2 still does not know after the whole backoff, and waits not at all when it knows all', async () => {
    // Prepare
    const waits: number[] = [];
    describesKnowing(() => new Set(['snap-old']));
    const sleep = async (ms: number) => {
      waits.push(ms);
    };

    // Act
    const missing = await snapshotFactsOnceVisible(client, ['snap-old', 'snap-gone'], { sleep });
    const waitedForMissing = [...waits];
    waits.length = 0;
    const allKnown = await snapshotFactsOnceVisible(client, ['snap-old'], { sleep });

    // Assess
    expect(Object.keys(missing)).toEqual(['snap-old']);
    expect(waitedForMissing).toEqual(EC2_VISIBILITY_DELAYS_MS);
    expect(Object.keys(allKnown)).toEqual(['snap-old']);
    expect(waits).toEqual([]);
  });
});
