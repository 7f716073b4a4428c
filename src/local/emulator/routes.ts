import { createRouter } from '../http/router.ts';
// Copies (issue 13)
import { copySnapshot, describeSnapshotAttribute, modifySnapshotAttribute } from './copy-operations.ts';
import { type EmulatorRoute, routeOf } from './dispatch.ts';
// Restore (issue 14)
import { createVolume, deleteEbsVolume, describeVolumes } from './ebs-operations.ts';
import {
  deleteSnapshot,
  describeLockedSnapshots,
  describeSnapshotTierStatus,
  lockSnapshot,
  modifySnapshotTier,
  unlockSnapshot,
} from './ec2-lifecycle-operations.ts';
import { createTags, describeSnapshots } from './ec2-operations.ts';
import { ec2Service } from './ec2-protocol.ts';
// Restore (issue 14): KMS's DescribeKey, for the preflight's "the KMS keys can be used".
import { describeKey, kmsService } from './kms.ts';
import {
  createCachediSCSIVolume,
  deleteVolume,
  describeCache,
  describeGatewayInformation,
  describeUploadBuffer,
  listTagsForResource,
} from './restore-operations.ts';
import {
  createSnapshotFromVolumeRecoveryPoint,
  describeCachediSCSIVolumes,
  listGateways,
  listVolumeRecoveryPoints,
  listVolumes,
} from './storage-gateway-operations.ts';
import { storageGatewayService } from './storage-gateway-protocol.ts';
import { assumeRole, stsService } from './sts.ts';

/** Every operation the emulator serves: Storage Gateway's by `X-Amz-Target`, EC2's by `Action`. */
export const EMULATOR_ROUTES: readonly EmulatorRoute[] = [
  routeOf(storageGatewayService, 'ListGateways', listGateways),
  routeOf(storageGatewayService, 'ListVolumes', listVolumes),
  routeOf(storageGatewayService, 'ListVolumeRecoveryPoints', listVolumeRecoveryPoints),
  routeOf(storageGatewayService, 'CreateSnapshotFromVolumeRecoveryPoint', createSnapshotFromVolumeRecoveryPoint),
  routeOf(storageGatewayService, 'DescribeCachediSCSIVolumes', describeCachediSCSIVolumes),
  routeOf(ec2Service, 'DescribeSnapshots', describeSnapshots),
  routeOf(ec2Service, 'CreateTags', createTags),
  // Retention, lock and archive (issue 12)
  routeOf(ec2Service, 'DeleteSnapshot', deleteSnapshot),
  routeOf(ec2Service, 'LockSnapshot', lockSnapshot),
  routeOf(ec2Service, 'UnlockSnapshot', unlockSnapshot),
  routeOf(ec2Service, 'DescribeLockedSnapshots', describeLockedSnapshots),
  routeOf(ec2Service, 'ModifySnapshotTier', modifySnapshotTier),
  routeOf(ec2Service, 'DescribeSnapshotTierStatus', describeSnapshotTierStatus),
  // Restore (issue 14): cached volumes from snapshots on a gateway, EBS volumes, and the target gateway's facts.
  routeOf(storageGatewayService, 'CreateCachediSCSIVolume', createCachediSCSIVolume),
  routeOf(storageGatewayService, 'DeleteVolume', deleteVolume),
  routeOf(storageGatewayService, 'ListTagsForResource', listTagsForResource),
  routeOf(storageGatewayService, 'DescribeGatewayInformation', describeGatewayInformation),
  routeOf(storageGatewayService, 'DescribeCache', describeCache),
  routeOf(storageGatewayService, 'DescribeUploadBuffer', describeUploadBuffer),
  routeOf(ec2Service, 'CreateVolume', createVolume),
  routeOf(ec2Service, 'DescribeVolumes', describeVolumes),
  routeOf(ec2Service, 'DeleteVolume', deleteEbsVolume),
  // Copies (issue 13): CopySnapshot in the destination Region.
  routeOf(ec2Service, 'CopySnapshot', copySnapshot),
  // Copies (issue 13), cross-account: sharing a snapshot, and STS's AssumeRole (query protocol, like EC2).
  routeOf(ec2Service, 'ModifySnapshotAttribute', modifySnapshotAttribute),
  routeOf(ec2Service, 'DescribeSnapshotAttribute', describeSnapshotAttribute),
  routeOf(stsService, 'AssumeRole', assumeRole),
  // Restore (issue 14): whether the keys of the snapshots to restore can be used (awsJson, like Storage Gateway).
  routeOf(kmsService, 'DescribeKey', describeKey),
];

/**
 * The route of a request; one that matches none is answered as an unknown operation by Storage Gateway
 * when it speaks awsJson (or names no target) and by EC2 when it speaks the query protocol.
 */
export const emulatorRouter = createRouter(EMULATOR_ROUTES, {
  'x-amz-target': storageGatewayService,
  Action: ec2Service,
});
