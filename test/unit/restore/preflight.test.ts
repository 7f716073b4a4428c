import { targetNameOf } from '../../../src/restore/names.ts';
import { selectVolumes } from '../../../src/restore/plan.ts';
import {
  type GatewayFacts,
  MAX_VOLUMES_PER_CACHED_GATEWAY,
  preflightProblems,
} from '../../../src/restore/preflight.ts';
import { DR, GATEWAY_TARGET, MANIFEST } from './fixtures.ts';

const { candidates } = selectVolumes(MANIFEST, {});
const nameOf = (c: (typeof candidates)[number]) => targetNameOf(c.sourceVolumeArn, false);
const GOOD_GATEWAY: GatewayFacts = {
  gatewayArn: DR,
  state: 'RUNNING',
  type: 'CACHED',
  networkInterfaces: ['10.0.0.5'],
  cacheAllocatedBytes: 1,
  cacheUsedPercent: 10,
  uploadBufferAllocatedBytes: 1,
  volumeCount: 0,
  takenTargetNames: [],
};
const COMPLETED = { state: 'completed', storageTier: 'standard', volumeSizeGib: 100 };
const SNAPSHOTS = { 'snap-0000000a': COMPLETED, 'snap-0000000c': COMPLETED, 'snap-0000000d': COMPLETED };

describe('preflightProblems', () => {
  it('finds nothing wrong with a running, configured gateway and completed snapshots', () => {
    expect(
      preflightProblems(candidates, GATEWAY_TARGET, { gateway: GOOD_GATEWAY, snapshots: SNAPSHOTS }, nameOf),
    ).toEqual([]);
  });

  it('names every problem of the gateway and the snapshots, in the order of the checks', () => {
    // Prepare
    const gateway: GatewayFacts = {
      ...GOOD_GATEWAY,
      state: 'SHUTDOWN',
      networkInterfaces: ['10.0.0.9'],
      cacheUsedPercent: 100,
      uploadBufferAllocatedBytes: 0,
      volumeCount: MAX_VOLUMES_PER_CACHED_GATEWAY - 1,
      takenTargetNames: ['restore-vol-0000000c'],
    };
    const snapshots = {
      'snap-0000000a': { ...COMPLETED, state: 'pending' },
      'snap-0000000c': { ...COMPLETED, storageTier: 'archive' },
    };

    // Act
    const problems = preflightProblems(candidates, GATEWAY_TARGET, { gateway, snapshots }, nameOf);

    // Assess
    expect(problems.map((p) => p.check)).toEqual([
      'gateway-running',
      'network-interface',
      'cache',
      'upload-buffer',
      'volume-count',
      'target-name',
      'snapshot-exists',
      'snapshot-completed',
      'snapshot-not-archived',
    ]);
    expect(problems.find((p) => p.check === 'snapshot-not-archived')?.message).toMatch(
      /RestoreSnapshotTier; up to 72 hours/,
    );
    expect(problems.find((p) => p.check === 'network-interface')?.message).toContain('it has: 10.0.0.9');
  });

  it('stops at a gateway that cannot be described, and checks no gateway for an EBS target', () => {
    // Act
    const undescribed = preflightProblems(
      candidates,
      GATEWAY_TARGET,
      { gateway: { ...GOOD_GATEWAY, error: 'GatewayNotFound' }, snapshots: SNAPSHOTS },
      nameOf,
    );
    const ebs = preflightProblems(
      candidates,
      { ebs: { availabilityZone: 'us-east-1a' } },
      { snapshots: SNAPSHOTS },
      nameOf,
    );
    const noCache = preflightProblems(
      [],
      GATEWAY_TARGET,
      { gateway: { ...GOOD_GATEWAY, cacheAllocatedBytes: 0, type: 'STORED' }, snapshots: {} },
      nameOf,
    );

    // Assess
    expect(undescribed).toEqual([
      { check: 'gateway-described', subject: DR, message: 'the target gateway cannot be used: GatewayNotFound' },
    ]);
    expect(ebs).toEqual([]);
    expect(noCache.map((p) => [p.check, p.message])).toEqual([
      ['gateway-cached', 'the gateway is STORED, not CACHED'],
      ['cache', 'no cache disk is configured (AddCache)'],
    ]);
  });
  it('names each volume whose snapshot is encrypted with a key that cannot be used, once per volume', () => {
    // Prepare: two snapshots share a disabled key, one has an enabled key, one a key KMS does not know.
    const disabled = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const enabled = 'arn:aws:kms:us-east-1:111122223333:key/2234abcd-12ab-34cd-56ef-1234567890ab';
    const snapshots = {
      'snap-0000000a': { ...COMPLETED, kmsKeyId: disabled },
      'snap-0000000c': { ...COMPLETED, kmsKeyId: disabled },
      'snap-0000000d': { ...COMPLETED, kmsKeyId: enabled },
    };
    const keys = { [disabled]: { keyState: 'Disabled' }, [enabled]: { keyState: 'Enabled' } };

    // Act
    const problems = preflightProblems(candidates, GATEWAY_TARGET, { gateway: GOOD_GATEWAY, snapshots, keys }, nameOf);
    const unknown = preflightProblems(
      candidates,
      { ebs: { availabilityZone: 'us-east-1a' } },
      { snapshots, keys: { [disabled]: { error: 'NotFoundException' } } },
      nameOf,
    );

    // Assess
    expect(problems.map((p) => [p.check, p.subject])).toEqual(
      candidates.filter((c) => c.snapshotId !== 'snap-0000000d').map((c) => ['kms-key', c.sourceVolumeArn]),
    );
    expect(problems[0]?.message).toBe(
      `snapshot snap-0000000a is encrypted with key ${disabled}, which is Disabled: enable it (aws kms enable-key --key-id ${disabled}) or restore from another snapshot`,
    );
    expect(unknown.map((p) => p.message)).toEqual([
      expect.stringContaining('NotFoundException'),
      expect.stringContaining('NotFoundException'),
      expect.stringContaining(`key ${enabled}, which could not be described`),
    ]);
  });
});
