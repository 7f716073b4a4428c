import { CopySnapshotCommand } from '@aws-sdk/client-ec2';
import { createEc2Client } from '../../src/aws/clients.ts';
import { CONCURRENT_COPIES_PER_DESTINATION_REGION, RESOURCE_LIMIT_EXCEEDED } from '../../src/copies/limits.ts';
import { DEFAULT_COPY_ROLE_NAME } from '../../src/copies/role.ts';
import { COPY_ERROR } from '../../src/errors.ts';
import { volumeArnOf } from '../../src/local/emulator/index.ts';
import { generateFleet } from '../../src/local/fleet.ts';
import type { EngineEvent } from '../../src/local/runner.ts';
import { SnapshotState } from '../../src/workflow/snapshot.ts';
import { type LocalWorkflow, NO_VISIBILITY_LAG, startLocalWorkflow } from '../helpers/local-workflow.ts';

const fleet = generateFleet({ gateways: 2, volumesPerGateway: 3 });
const TWO_REGIONS = { copies: [{ region: 'eu-west-1' }, { region: 'us-west-2' }], copyTimeoutMinutes: 10 };
const COPY_MS = 300;

describe('copies beyond the blast radius (issue 13)', () => {
  let workflow: LocalWorkflow | undefined;
  afterEach(async () => {
    await workflow?.close();
    workflow = undefined;
  });

  const copiesIn = (region: string) =>
    (workflow?.emulator.snapshots() ?? []).filter((s) => s.copiedFrom && s.region === region);

  it('copies every volume to two Regions, lists each copy in the manifest, and waits for them to complete', async () => {
    // Prepare
    workflow = await startLocalWorkflow({ fleet, copyCompletionMs: COPY_MS });

    // Act
    const run = await workflow.run(TWO_REGIONS);

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    const volumes = run.report?.manifest.flatMap((g) => g.volumes) ?? [];
    expect(volumes).toHaveLength(6);
    const copies = workflow.emulator.snapshots().filter((s) => s.copiedFrom);
    for (const volume of volumes) {
      expect(volume.copies).toEqual([
        {
          region: 'eu-west-1',
          accountId: fleet.accountId,
          snapshotId: expect.stringMatching(/^snap-/),
          state: 'completed',
        },
        {
          region: 'us-west-2',
          accountId: fleet.accountId,
          snapshotId: expect.stringMatching(/^snap-/),
          state: 'completed',
        },
      ]);
      for (const copy of volume.copies ?? []) {
        expect(copies.find((c) => c.snapshotId === copy.snapshotId)).toMatchObject({
          region: copy.region,
          copiedFrom: volume.snapshotId,
          state: 'completed',
        });
      }
    }
    expect(copiesIn('eu-west-1')).toHaveLength(6);
    expect(copiesIn('us-west-2')).toHaveLength(6);
    expect(run.report?.summary.copies).toEqual({ destinations: 2, completed: 12, failed: 0 });
    expect(run.historyEventCount).toBeLessThan(25_000);
  }, 60_000);

  it('makes no second copy when a CopySnapshot made its copy but answered 500, nor on a second run', async () => {
    // Prepare
    workflow = await startLocalWorkflow({
      fleet,
      copyCompletionMs: COPY_MS,
      faults: [{ operation: 'CopySnapshot', error: 'InternalError', firstN: 2, afterEffect: true }],
    });

    // Act
    const first = await workflow.run({ ...TWO_REGIONS, copies: [{ region: 'eu-west-1' }] });
    const second = await workflow.run({ ...TWO_REGIONS, copies: [{ region: 'eu-west-1' }] });

    // Assess
    expect(first.status).toBe('SUCCEEDED');
    expect(second.status).toBe('SUCCEEDED');
    expect(workflow.emulator.calls.filter((c) => c.operation === 'CopySnapshot' && c.error)).toHaveLength(2);
    const sources = new Set(
      workflow.emulator
        .snapshots()
        .filter((s) => !s.copiedFrom)
        .map((s) => s.snapshotId),
    );
    expect(sources.size).toBe(6);
    const copies = copiesIn('eu-west-1');
    expect(copies).toHaveLength(6);
    expect(new Set(copies.map((c) => c.copiedFrom))).toEqual(sources);
    const manifest = (run: typeof first) =>
      run.report?.manifest.flatMap((g) => g.volumes.flatMap((v) => v.copies ?? []));
    expect(manifest(second)).toEqual(manifest(first));
    expect(second.report?.summary.copies).toEqual({ destinations: 1, completed: 6, failed: 0 });
  }, 60_000);

  it("absorbs EC2's concurrent-copy limit: never more than 20 copies in flight, no copy failed", async () => {
    // Prepare: 30 volumes, and 12 copies of earlier snapshots another tool starts as the copies are planned.
    const wide = generateFleet({ gateways: 2, volumesPerGateway: 15, snapshotHistory: { days: 1, everyHours: 12 } });
    const copyMs = 1_500;
    workflow = await startLocalWorkflow({ fleet: wide, copyCompletionMs: copyMs, faults: [NO_VISIBILITY_LAG] });
    const other = createEc2Client({
      endpoint: workflow.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'other', secretAccessKey: 'other' },
    });
    const earlier = workflow.emulator.snapshots().slice(0, 12);
    const others: Array<Promise<unknown>> = [];
    const onEvent = (event: EngineEvent) => {
      if (event.type !== 'StateEntered' || event.state.name !== SnapshotState.PlanCopies) return;
      for (const s of earlier) {
        others.push(other.send(new CopySnapshotCommand({ SourceRegion: wide.region, SourceSnapshotId: s.snapshotId })));
      }
    };

    // Act
    const run = await workflow.run({ ...TWO_REGIONS, copies: [{ region: 'eu-west-1' }] }, { onEvent });
    await Promise.all(others);
    other.destroy();

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.report?.summary.copies).toEqual({ destinations: 1, completed: 30, failed: 0 });
    const refused = workflow.emulator.calls.filter((c) => c.operation === 'CopySnapshot' && c.error);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((c) => c.error))).toEqual(new Set([RESOURCE_LIMIT_EXCEEDED]));
    const starts = copiesIn('eu-west-1').map((c) => Date.parse(c.startTime));
    const inFlightAt = (t: number) => starts.filter((s) => s <= t && t < s + copyMs).length;
    expect(Math.max(...starts.map(inFlightAt))).toBeLessThanOrEqual(CONCURRENT_COPIES_PER_DESTINATION_REGION);
  }, 60_000);

  it('fails only the destination whose account may not use the source key, with a clear cause; the rest stay whole', async () => {
    // Prepare: the snapshots are encrypted with a key of the source account whose policy names no other account.
    const destinationAccount = '444455556666';
    const sourceKey = '1234abcd-12ab-34cd-56ef-1234567890ab';
    workflow = await startLocalWorkflow({
      fleet: {
        ...fleet,
        accounts: [
          {
            accountId: destinationAccount,
            accessKeyId: 'AKIADESTINATION0001',
            roles: [{ name: DEFAULT_COPY_ROLE_NAME, trustedAccountIds: [fleet.accountId] }],
          },
        ],
        kmsKeys: [{ keyId: sourceKey, accountId: fleet.accountId, region: fleet.region }],
        snapshotKmsKeyId: sourceKey,
      },
      copyCompletionMs: COPY_MS,
    });

    // Act
    const run = await workflow.run({
      ...TWO_REGIONS,
      copies: [{ region: 'eu-west-1', accountId: destinationAccount }, { region: 'us-west-2' }],
    });

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.report?.summary).toMatchObject({
      created: 6,
      copies: { destinations: 2, completed: 6, failed: 6 },
      failed: 6,
    });
    const sources = workflow.emulator.snapshots().filter((s) => !s.copiedFrom);
    expect(sources.map((s) => s.state)).toEqual(Array(6).fill('completed'));
    expect(copiesIn('us-west-2').map((c) => c.state)).toEqual(Array(6).fill('completed'));
    expect(copiesIn('eu-west-1').map((c) => [c.ownerId, c.state])).toEqual(
      Array(6).fill([destinationAccount, 'error']),
    );
    expect(run.report?.failures).toHaveLength(6);
    for (const failure of run.report?.failures ?? []) {
      expect(failure).toMatchObject({
        copyDestination: `eu-west-1.${destinationAccount}`,
        error: COPY_ERROR,
        cause: expect.stringContaining(`Given key ID is not accessible: account ${destinationAccount} may not use`),
      });
    }
    const volumes = run.report?.manifest.flatMap((g) => g.volumes) ?? [];
    expect(volumes.map((v) => v.copies?.map((c) => c.state))).toEqual(Array(6).fill(['failed', 'completed']));
  }, 60_000);

  it("applies each destination's own retention to its copies, keeping this run's and deleting older ones", async () => {
    // Prepare: a first run copies every volume's snapshot; then every recovery point moves on.
    workflow = await startLocalWorkflow({ fleet, copyCompletionMs: COPY_MS, faults: [NO_VISIBILITY_LAG] });
    const input = {
      ...TWO_REGIONS,
      copies: [{ region: 'eu-west-1', retention: { keepLast: 1 } }, { region: 'us-west-2' }],
    };
    const first = await workflow.run(input);
    for (const gateway of fleet.gateways) {
      for (const volume of gateway.volumes) {
        workflow.emulator.advanceRecoveryPoint(volumeArnOf(fleet, gateway.id, volume.id), new Date().toISOString());
      }
    }

    // Act
    const second = await workflow.run(input);

    // Assess
    expect(first.report?.summary.copies).toEqual({ destinations: 2, completed: 12, failed: 0, deleted: 0 });
    expect(second.status).toBe('SUCCEEDED');
    expect(second.report?.summary.copies).toEqual({ destinations: 2, completed: 12, failed: 0, deleted: 6 });
    const kept = second.report?.manifest.flatMap((g) => g.volumes.map((v) => v.copies?.[0]?.snapshotId)) ?? [];
    expect(
      copiesIn('eu-west-1')
        .map((c) => c.snapshotId)
        .sort(),
    ).toEqual([...kept].sort());
    expect(copiesIn('us-west-2')).toHaveLength(12);
  }, 90_000);
});
