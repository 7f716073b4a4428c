import { clientTokenOf, targetNameOf } from '../../../src/restore/names.ts';
import { planItems, selectVolumes } from '../../../src/restore/plan.ts';
import { EXECUTION, GATEWAY_A, GATEWAY_B, GIB, MANIFEST, volume } from './fixtures.ts';

describe('selectVolumes', () => {
  it('takes every volume with a snapshot, and reports those without one, not as asked for', () => {
    // Act
    const { candidates, notRestorable } = selectVolumes(MANIFEST, {});

    // Assess
    expect(candidates.map((c) => c.snapshotId)).toEqual(['snap-0000000a', 'snap-0000000c', 'snap-0000000d']);
    expect(notRestorable).toEqual([
      {
        sourceVolumeArn: volume(GATEWAY_A, 'vol-0000000B'),
        sourceGatewayArn: GATEWAY_A,
        reason: 'no snapshot in the manifest (below-min-usage)',
      },
    ]);
  });

  it('keeps only the gateways and volumes asked for, and names an asked-for volume the manifest lacks', () => {
    // Prepare
    const missing = volume(GATEWAY_B, 'vol-000000FF');

    // Act
    const byGateway = selectVolumes(MANIFEST, { gatewayArns: [GATEWAY_B] });
    const byVolume = selectVolumes(MANIFEST, { volumeArns: [volume(GATEWAY_A, 'vol-0000000B'), missing] });

    // Assess
    expect(byGateway.candidates.map((c) => c.sourceGatewayArn)).toEqual([GATEWAY_B, GATEWAY_B]);
    expect(byVolume.candidates).toEqual([]);
    expect(byVolume.notRestorable.map((v) => [v.sourceVolumeArn, v.requested])).toEqual([
      [volume(GATEWAY_A, 'vol-0000000B'), true],
      [missing, true],
    ]);
  });
});

describe('planItems', () => {
  it('sizes each volume from the manifest, else from its snapshot, and leaves one of unknown size to the preflight', () => {
    // Prepare
    const { candidates } = selectVolumes(MANIFEST, {});

    // Act
    const withSizes = planItems(
      candidates,
      { 'snap-0000000d': { state: 'completed', storageTier: 'standard', volumeSizeGib: 50 } },
      EXECUTION,
      true,
    );
    const withoutSnapshotD = planItems(candidates, {}, EXECUTION, true);

    // Assess
    expect(withSizes.map((i) => i.sizeBytes)).toEqual([100 * GIB, 200 * GIB, 50 * GIB]);
    expect(withSizes[0]).toMatchObject({
      targetName: 'restoretest-vol-0000000a',
      clientToken: clientTokenOf(EXECUTION, volume(GATEWAY_A, 'vol-0000000A')),
    });
    expect(withoutSnapshotD).toHaveLength(2);
  });
});

describe('names', () => {
  it('derives a valid target name per volume and kind of restore, and one client token per execution and volume', () => {
    // Act
    const real = targetNameOf(volume(GATEWAY_A, 'vol-0000000A'), false);
    const token = clientTokenOf(EXECUTION, volume(GATEWAY_A, 'vol-0000000A'));

    // Assess
    expect(real).toBe('restore-vol-0000000a');
    expect(real).toMatch(/^[-.a-z0-9]{1,200}$/);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(clientTokenOf(EXECUTION, volume(GATEWAY_A, 'vol-0000000A'))).toBe(token);
    expect(clientTokenOf(`${EXECUTION}-2`, volume(GATEWAY_A, 'vol-0000000A'))).not.toBe(token);
  });
});
