import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INVALID_FLEET } from '../../../src/errors.ts';
import { generateFleet, loadFleet, parseFleet } from '../../../src/local/fleet.ts';
import { TEST_FLEET } from '../../helpers/emulator.ts';

const DEMO_FLEET = fileURLToPath(new URL('../../../src/local/fleets/demo.json', import.meta.url));

function withVolume(volume: Record<string, unknown>): unknown {
  return { ...TEST_FLEET, gateways: [{ id: 'sgw-12A3456B', name: 'g', type: 'CACHED', volumes: [volume] }] };
}

describe('parseFleet', () => {
  it('accepts a fleet and gives gateways without volumes an empty list', () => {
    // Act
    const fleet = parseFleet(TEST_FLEET);

    // Assess
    expect(fleet.gateways.map((g) => g.volumes.length)).toEqual([2, 1, 0]);
  });

  it.each([
    ['both an age and a time', { recoveryPointAgeMinutes: 1, recoveryPointTime: 'x' }, 'exactly one of'],
    ['neither an age nor a time', {}, 'exactly one of'],
    ['usage above the size', { recoveryPointAgeMinutes: 1, usageBytes: 11 }, 'usageBytes cannot exceed sizeBytes'],
  ])('rejects a volume with %s', (_case, fields, message) => {
    // Act
    const act = () => parseFleet(withVolume({ id: 'vol-1122AABB', sizeBytes: 10, ...fields }));

    // Assess
    expect(act).toThrow(expect.objectContaining({ name: INVALID_FLEET, message: expect.stringContaining(message) }));
  });

  it('rejects volumes on a gateway type that has none, repeated ids and unknown keys', () => {
    // Prepare
    const volume = { id: 'vol-1122AABB', sizeBytes: 10, recoveryPointAgeMinutes: 1 };
    const cases: unknown[] = [
      { ...TEST_FLEET, gateways: [{ id: 'sgw-12A3456B', name: 'g', type: 'FILE_S3', volumes: [volume] }] },
      { ...TEST_FLEET, gateways: [{ id: 'sgw-12A3456B', name: 'g', type: 'CACHED', volumes: [volume, volume] }] },
      { ...TEST_FLEET, colour: 'blue' },
    ];

    // Act
    const messages = cases.map((value) => {
      try {
        parseFleet(value);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    });

    // Assess
    expect(messages[0]).toContain('only CACHED and STORED gateways have volumes');
    expect(messages[1]).toContain('id vol-1122AABB is used twice');
    expect(messages[2]).toContain('colour');
  });
});

describe('loadFleet', () => {
  it('loads the demo fleet: three cached gateways, one stored, one file gateway, and an empty DR gateway', async () => {
    // Act
    const fleet = await loadFleet(DEMO_FLEET);

    // Assess
    expect(fleet.gateways.map((g) => `${g.type}:${g.volumes.length}`)).toEqual([
      'CACHED:4',
      'CACHED:3',
      'CACHED:5',
      'STORED:2',
      'FILE_S3:0',
      'CACHED:0',
    ]);
    expect(fleet.gateways.at(-1)).toMatchObject({ name: 'dr-site', networkInterfaces: ['10.20.0.15'] });
    const cached = fleet.gateways.filter((g) => g.type === 'CACHED').flatMap((g) => g.volumes);
    expect(cached.filter((v) => v.usageBytes === undefined)).toHaveLength(1);
    expect(cached.filter((v) => v.usageBytes === 0)).toHaveLength(1);
    expect(cached.filter((v) => (v.recoveryPointAgeMinutes ?? 0) > 24 * 60)).toHaveLength(1);
  });

  it('names the file when it is not JSON', async () => {
    // Prepare
    const path = join(await mkdtemp(join(tmpdir(), 'fleet-')), 'broken.json');
    await writeFile(path, '{ nope');

    // Act
    const loading = loadFleet(path);

    // Assess
    await expect(loading).rejects.toMatchObject({ name: INVALID_FLEET, message: expect.stringContaining(path) });
  });
});

describe('generateFleet', () => {
  it('numbers gateways and volumes in 8 uppercase hex digits and stays within the schema', () => {
    // Act
    const fleet = generateFleet({ gateways: 11, volumesPerGateway: 2 });

    // Assess
    expect(fleet.gateways[10]?.id).toBe('sgw-0000000B');
    expect(fleet.gateways[10]?.volumes.map((v) => v.id)).toEqual(['vol-00000015', 'vol-00000016']);
    const volumes = fleet.gateways.flatMap((g) => g.volumes);
    expect(volumes.every((v) => (v.usageBytes ?? 0) >= 1 && (v.usageBytes ?? 0) <= v.sizeBytes)).toBe(true);
    expect(
      volumes.every((v) => (v.recoveryPointAgeMinutes ?? 0) >= 10 && (v.recoveryPointAgeMinutes ?? 0) <= 120),
    ).toBe(true);
  });

  it('gives the same fleet for the same seed and another for another seed', () => {
    // Prepare
    const options = { gateways: 3, volumesPerGateway: 4 };

    // Act
    const [first, again, other] = [7, 7, 8].map((seed) => generateFleet({ ...options, seed }));

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('uses the Region and account given', () => {
    // Act
    const fleet = generateFleet({ gateways: 1, volumesPerGateway: 0, region: 'eu-west-1', accountId: '444455556666' });

    // Assess
    expect(fleet).toMatchObject({ region: 'eu-west-1', accountId: '444455556666' });
  });
});
