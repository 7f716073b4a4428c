import {
  CopySnapshotCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import { CreateSnapshotFromVolumeRecoveryPointCommand } from '@aws-sdk/client-storage-gateway';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { type RunningEmulator, rejectionOf, startEmulator, TEST_FLEET, VOLUME_ARN } from '../../../helpers/emulator.ts';

const DESTINATION_ACCOUNT = '444455556666';
const SOURCE_KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const SHARED_KEY = '2234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE_ARN = `arn:aws:iam::${DESTINATION_ACCOUNT}:role/copy`;
const accounts = [
  {
    accountId: DESTINATION_ACCOUNT,
    accessKeyId: 'AKIADESTINATION0001',
    roles: [{ name: 'copy', trustedAccountIds: [TEST_FLEET.accountId] }],
  },
];

describe('EC2 and STS in several accounts (issue 13)', () => {
  let running: RunningEmulator;
  const clients: Array<{ destroy(): void }> = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await running.stop();
  });

  async function start(keyUsableByDestination: boolean) {
    running = await startEmulator({
      copyCompletionMs: 1_000,
      fleet: {
        ...TEST_FLEET,
        accounts,
        kmsKeys: [
          {
            keyId: SOURCE_KEY,
            accountId: TEST_FLEET.accountId,
            region: 'us-east-1',
            ...(keyUsableByDestination ? { usableBy: [DESTINATION_ACCOUNT] } : {}),
          },
          { keyId: SHARED_KEY, accountId: DESTINATION_ACCOUNT, region: 'eu-west-1' },
        ],
        snapshotKmsKeyId: SOURCE_KEY,
      },
    });
    const sts = new STSClient({
      endpoint: running.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 's' },
    });
    clients.push(sts);
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'copy' }));
    const destination = new EC2Client({
      endpoint: running.url,
      region: 'eu-west-1',
      credentials: {
        accessKeyId: Credentials?.AccessKeyId ?? '',
        secretAccessKey: Credentials?.SecretAccessKey ?? '',
        sessionToken: Credentials?.SessionToken ?? '',
      },
      maxAttempts: 1,
    });
    clients.push(destination);
    const made = await running.sgw.send(
      new CreateSnapshotFromVolumeRecoveryPointCommand({ VolumeARN: VOLUME_ARN, SnapshotDescription: 'nightly' }),
    );
    return { destination, sourceId: made.SnapshotId ?? '' };
  }

  const copy = (destination: EC2Client, sourceId: string) =>
    destination.send(
      new CopySnapshotCommand({
        SourceRegion: 'us-east-1',
        SourceSnapshotId: sourceId,
        Encrypted: true,
        KmsKeyId: SHARED_KEY,
      }),
    );

  it('copies a shared snapshot into the account of the assumed role, re-encrypted with its key', async () => {
    // Prepare
    const { destination, sourceId } = await start(true);

    // Act
    const unshared = await rejectionOf(copy(destination, sourceId));
    await running.ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: sourceId,
        Attribute: 'createVolumePermission',
        CreateVolumePermission: { Add: [{ UserId: DESTINATION_ACCOUNT }] },
      }),
    );
    const shared = await running.ec2.send(
      new DescribeSnapshotAttributeCommand({ SnapshotId: sourceId, Attribute: 'createVolumePermission' }),
    );
    const { SnapshotId } = await copy(destination, sourceId);
    running.clock.advance(1_000);
    const { Snapshots } = await destination.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));

    // Assess
    expect(unshared.name).toBe('InvalidSnapshot.NotFound');
    expect(shared.CreateVolumePermissions).toEqual([{ UserId: DESTINATION_ACCOUNT }]);
    expect(Snapshots).toEqual([
      expect.objectContaining({
        SnapshotId,
        OwnerId: DESTINATION_ACCOUNT,
        State: 'completed',
        Encrypted: true,
        KmsKeyId: `arn:aws:kms:eu-west-1:${DESTINATION_ACCOUNT}:key/${SHARED_KEY}`,
      }),
    ]);
  });

  it("accepts the copy but ends it in error when the destination may not use the source's key", async () => {
    // Prepare
    const { destination, sourceId } = await start(false);
    await running.ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: sourceId,
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        UserIds: [DESTINATION_ACCOUNT],
      }),
    );

    // Act
    const { SnapshotId } = await copy(destination, sourceId);
    running.clock.advance(1_000);
    const { Snapshots } = await destination.send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId ?? ''] }));

    // Assess
    expect(Snapshots?.[0]).toMatchObject({
      State: 'error',
      StateMessage: expect.stringContaining('Given key ID is not accessible'),
    });
  });

  it('refuses AssumeRole to an account the role does not trust', async () => {
    // Prepare
    running = await startEmulator({
      fleet: {
        ...TEST_FLEET,
        accounts: [
          {
            accountId: DESTINATION_ACCOUNT,
            accessKeyId: 'AKIADESTINATION0001',
            roles: [{ name: 'copy', trustedAccountIds: ['999999999999'] }],
          },
        ],
      },
    });
    const sts = new STSClient({
      endpoint: running.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 's' },
    });
    clients.push(sts);

    // Act
    const refused = await rejectionOf(sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'copy' })));

    // Assess
    expect(refused.name).toBe('AccessDenied');
  });
});
