import { loadFleet } from '../../src/local/fleet.ts';
import { DEMO_FLEET_PATH } from '../../src/local/stack.ts';
import { awsCli, type CliResult, SERVICE_ERROR_EXIT_CODES } from '../helpers/aws-cli.ts';
import { type RunningEmulator, startEmulator } from '../helpers/emulator.ts';

const GATEWAY_ARN = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-12A3456B';
const VOLUME_ARN = `${GATEWAY_ARN}/volume/vol-1122AABB`;

describe('the emulator seen by the independent AWS CLI', () => {
  let running: RunningEmulator;

  const aws = (...args: string[]): Promise<CliResult> => awsCli(running.url, args);
  const json = (result: CliResult): Record<string, unknown> => {
    if (result.code !== 0) throw new Error(`aws exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  beforeAll(async () => {
    running = await startEmulator({ fleet: await loadFleet(DEMO_FLEET_PATH) });
  });

  afterAll(async () => {
    await running.stop();
  });

  it('lists, snapshots, refuses and describes like AWS does', async () => {
    // Act
    const [gateways, recoveryPoints, unknownGateway] = await Promise.all([
      aws('storagegateway', 'list-gateways', '--page-size', '2'),
      aws('storagegateway', 'list-volume-recovery-points', '--gateway-arn', GATEWAY_ARN),
      aws(
        'storagegateway',
        'list-volume-recovery-points',
        '--gateway-arn',
        GATEWAY_ARN.replace('12A3456B', 'FFFFFFFF'),
      ),
    ]);
    const created = json(
      await aws(
        'storagegateway',
        'create-snapshot-from-volume-recovery-point',
        '--volume-arn',
        VOLUME_ARN,
        '--snapshot-description',
        'from the AWS CLI',
        '--tags',
        'Key=origin,Value=awscli',
      ),
    );
    const [described, unknownSnapshot] = await Promise.all([
      aws('ec2', 'describe-snapshots', '--owner-ids', 'self', '--filters', 'Name=tag:origin,Values=awscli'),
      aws('ec2', 'describe-snapshots', '--snapshot-ids', 'snap-0123456789abcdef0'),
    ]);

    // Assess: the CLI followed the markers over three pages of two
    expect((json(gateways).Gateways as { GatewayId: string }[]).map((g) => g.GatewayId)).toEqual([
      'sgw-12A3456B',
      'sgw-23B4567C',
      'sgw-34C5678D',
      'sgw-45D6789E',
      'sgw-56E7890F',
      'sgw-67F8901A',
    ]);
    expect(running.emulator.calls.filter((c) => c.operation === 'ListGateways').map((c) => c.params)).toEqual([
      { Limit: 2 },
      { Limit: 2, Marker: expect.any(String) },
      { Limit: 2, Marker: expect.any(String) },
    ]);
    expect(json(recoveryPoints).VolumeRecoveryPointInfos).toHaveLength(4);
    expect(SERVICE_ERROR_EXIT_CODES).toContain(unknownGateway.code);
    expect(unknownGateway.stderr).toContain('InvalidGatewayRequestException');
    expect(created).toEqual({
      SnapshotId: expect.stringMatching(/^snap-[0-9a-f]{17}$/),
      VolumeARN: VOLUME_ARN,
      VolumeRecoveryPointTime: expect.any(String),
    });
    expect(json(described).Snapshots).toEqual([
      expect.objectContaining({
        SnapshotId: created.SnapshotId,
        State: 'completed',
        Description: 'from the AWS CLI',
        VolumeSize: 500,
        OwnerId: '111122223333',
        Tags: [{ Key: 'origin', Value: 'awscli' }],
      }),
    ]);
    expect(SERVICE_ERROR_EXIT_CODES).toContain(unknownSnapshot.code);
    expect(unknownSnapshot.stderr).toContain('InvalidSnapshot.NotFound');
  });
});
