import { CreateVolumeCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateSnapshotFromVolumeRecoveryPointCommand } from '@aws-sdk/client-storage-gateway';
import { type RunningEmulator, rejectionOf, startEmulator, TEST_FLEET, VOLUME_ARN } from '../../../helpers/emulator.ts';

// Restore (issue 14): KMS's DescribeKey, as the restore preflight asks it.
const OWN_KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const DISABLED_KEY = '2234abcd-12ab-34cd-56ef-1234567890ab';
const SHARED_KEY = '3234abcd-12ab-34cd-56ef-1234567890ab';
const FOREIGN_KEY = '4234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_ACCOUNT = '444455556666';
const arnOf = (keyId: string, account = TEST_FLEET.accountId) => `arn:aws:kms:us-east-1:${account}:key/${keyId}`;

describe('the emulated KMS DescribeKey', () => {
  let running: RunningEmulator;
  let kms: KMSClient;
  beforeEach(async () => {
    running = await startEmulator({
      fleet: {
        ...TEST_FLEET,
        kmsKeys: [
          { keyId: OWN_KEY, accountId: TEST_FLEET.accountId, region: 'us-east-1' },
          { keyId: DISABLED_KEY, accountId: TEST_FLEET.accountId, region: 'us-east-1', keyState: 'PendingDeletion' },
          { keyId: SHARED_KEY, accountId: OTHER_ACCOUNT, region: 'us-east-1', usableBy: [TEST_FLEET.accountId] },
          { keyId: FOREIGN_KEY, accountId: OTHER_ACCOUNT, region: 'us-east-1' },
        ],
      },
    });
    kms = new KMSClient({
      endpoint: running.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 's' },
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    kms.destroy();
    await running.stop();
  });

  const describeKey = (KeyId: string) => kms.send(new DescribeKeyCommand({ KeyId }));

  it('describes a key of the account by ID or ARN, Enabled by default', async () => {
    // Act
    const byId = await describeKey(OWN_KEY);
    const byArn = await describeKey(arnOf(OWN_KEY));

    // Assess
    expect(byId.KeyMetadata).toMatchObject({
      KeyId: OWN_KEY,
      Arn: arnOf(OWN_KEY),
      AWSAccountId: TEST_FLEET.accountId,
      KeyState: 'Enabled',
      Enabled: true,
    });
    expect(byId.KeyMetadata?.CreationDate).toBeInstanceOf(Date);
    expect(byArn.KeyMetadata).toEqual(byId.KeyMetadata);
  });

  it("tells the fleet's key state, with a deletion date while it is pending deletion", async () => {
    // Act
    const { KeyMetadata } = await describeKey(DISABLED_KEY);

    // Assess
    expect(KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false });
    expect(KeyMetadata?.DeletionDate?.getTime()).toBeGreaterThan(running.clock.now());
  });

  it("answers another account's key by ARN only, and only to an account its policy lets use it", async () => {
    // Act
    const shared = await describeKey(arnOf(SHARED_KEY, OTHER_ACCOUNT));
    const sharedById = await rejectionOf(describeKey(SHARED_KEY));
    const foreign = await rejectionOf(describeKey(arnOf(FOREIGN_KEY, OTHER_ACCOUNT)));
    const unknown = await rejectionOf(describeKey('5234abcd-12ab-34cd-56ef-1234567890ab'));

    // Assess
    expect(shared.KeyMetadata).toMatchObject({ KeyState: 'Enabled', AWSAccountId: OTHER_ACCOUNT });
    expect(sharedById.name).toBe('NotFoundException');
    expect(foreign.name).toBe('AccessDeniedException');
    expect(foreign.$metadata?.httpStatusCode).toBe(400);
    expect(unknown.name).toBe('NotFoundException');
  });

  it('does not know a key of another Region', async () => {
    // Prepare
    const elsewhere = new KMSClient({
      endpoint: running.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 's' },
      maxAttempts: 1,
    });

    // Act
    const error = await rejectionOf(elsewhere.send(new DescribeKeyCommand({ KeyId: OWN_KEY })));
    elsewhere.destroy();

    // Assess
    expect(error.name).toBe('NotFoundException');
  });
});

describe('the emulated CreateVolume from a snapshot encrypted with a key', () => {
  let running: RunningEmulator;
  afterEach(async () => {
    await running.stop();
  });

  async function volumeFromSnapshotWithKey(keyState: 'Enabled' | 'Disabled') {
    running = await startEmulator({
      fleet: {
        ...TEST_FLEET,
        kmsKeys: [{ keyId: OWN_KEY, accountId: TEST_FLEET.accountId, region: 'us-east-1', keyState }],
        snapshotKmsKeyId: OWN_KEY,
      },
    });
    const { SnapshotId } = await running.sgw.send(
      new CreateSnapshotFromVolumeRecoveryPointCommand({ VolumeARN: VOLUME_ARN, SnapshotDescription: 'nightly' }),
    );
    const created = await running.ec2.send(
      new CreateVolumeCommand({ SnapshotId: SnapshotId ?? '', AvailabilityZone: 'us-east-1a' }),
    );
    const described = running.ec2.send(new DescribeVolumesCommand({ VolumeIds: [created.VolumeId ?? ''] }));
    return { created, described };
  }

  it('answers creating and then has no volume when the key is not Enabled, as EC2 does', async () => {
    // Act
    const { created, described } = await volumeFromSnapshotWithKey('Disabled');

    // Assess
    expect(created.State).toBe('creating');
    expect((await rejectionOf(described)).name).toBe('InvalidVolume.NotFound');
  });

  it('makes the volume when the key is Enabled', async () => {
    // Act
    const { created, described } = await volumeFromSnapshotWithKey('Enabled');

    // Assess
    expect((await described).Volumes?.map((v) => v.VolumeId)).toEqual([created.VolumeId]);
  });
});
