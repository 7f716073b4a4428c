import * as z from 'zod';
import { ARN_LENGTH, GATEWAY_ARN_PATTERN, VOLUME_ARN_PATTERN } from '../input/schema.ts';

/**
 * The most volumes `volumeArns` names: the input, and the options every state carries, stay small. A whole fleet is
 * restored by manifest (or `gatewayArns`): the restore runs its volumes in batches of child executions, any number.
 */
export const MAX_RESTORE_VOLUMES = 200;
/** Volumes restored at once, across every batch: inline Map states run at most 40 iterations at once. */
const MAX_MAP_CONCURRENCY = 40;

const gatewayArn = z
  .string()
  .min(ARN_LENGTH.min)
  .max(ARN_LENGTH.max)
  .regex(GATEWAY_ARN_PATTERN, { error: 'must be a gateway ARN (arn:aws:storagegateway:…:gateway/sgw-…)' });
const volumeArn = z
  .string()
  .min(ARN_LENGTH.min)
  .max(ARN_LENGTH.max)
  .regex(VOLUME_ARN_PATTERN, { error: 'must be a volume ARN (…:gateway/sgw-…/volume/vol-…)' });
// CreateCachediSCSIVolume's NetworkInterfaceId is an address of the gateway, not an ENI ID: "Valid Values: A valid IP
// address" (Storage Gateway API reference, CreateCachediSCSIVolume), as DescribeGatewayInformation lists them.
const ipAddress = z.union([z.ipv4(), z.ipv6()], {
  error: 'must be an IP address of the gateway (DescribeGatewayInformation → GatewayNetworkInterfaces), not an eni- ID',
});
// An Availability Zone name: its Region and one letter (us-east-1a); zone IDs (use1-az1) are not names.
const availabilityZone = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, { error: 'must be an Availability Zone name such as us-east-1a' });
const snapshotId = z.string().regex(/^snap-[0-9a-f]{8,17}$/, { error: 'must be a snapshot ID such as snap-0123abcd' });

/** One volume of a manifest, as `manifest.json` holds it (`ManifestVolume`); fields we do not use are kept. */
export const ManifestVolumeSchema = z.looseObject({
  volumeArn,
  snapshotId: snapshotId.nullable(),
  sizeBytes: z.int().positive().optional(),
  recoveryPointTime: z.string().optional(),
  reason: z.string().optional(),
});

/** One gateway of a manifest (`ManifestGateway`). */
export const ManifestGatewaySchema = z.looseObject({
  gatewayArn,
  gatewayName: z.string().optional(),
  volumes: z.array(ManifestVolumeSchema),
});

/** The manifest as the evidence writes it: an execution's `manifest.json` or `report.json` (both hold `manifest`). */
export const ManifestDocumentSchema = z.looseObject({ manifest: z.array(ManifestGatewaySchema) });

/** Where the restored volumes go: a (DR) gateway's cache, or EBS volumes to inspect without a gateway. */
export const RestoreTargetSchema = z
  .strictObject({
    gateway: z
      .strictObject({
        gatewayArn: gatewayArn.describe('The cached gateway to create the volumes on.'),
        networkInterfaceId: ipAddress.describe('The gateway address to expose the iSCSI targets on.'),
      })
      .optional(),
    ebs: z
      .strictObject({ availabilityZone: availabilityZone.describe('The Availability Zone of the EBS volumes.') })
      .optional(),
  })
  // One object with both keys optional, not a union: a mistake inside either is named by its own field.
  .superRefine((target, ctx) => {
    if ((target.gateway === undefined) === (target.ebs === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of "gateway" and "ebs"' });
    }
  })
  .transform((target): { gateway: NonNullable<typeof target.gateway> } | { ebs: NonNullable<typeof target.ebs> } =>
    target.gateway ? { gateway: target.gateway } : { ebs: target.ebs as NonNullable<typeof target.ebs> },
  );

/** The input of the restore state machine: validator, type and defaults in one. */
export const RestoreInputSchema = z
  .strictObject({
    manifest: z
      .array(ManifestGatewaySchema)
      .optional()
      .describe('The manifest itself (the `manifest` of an execution report); or give `manifestUri`.'),
    manifestUri: z
      .string()
      .regex(/^s3:\/\/[^/]+\/.+$/, { error: 'must be an s3://bucket/key URI' })
      .optional()
      .describe("The S3 URI of an execution's manifest.json (or report.json)."),
    target: RestoreTargetSchema,
    volumeArns: z
      .array(volumeArn)
      .min(1)
      .max(MAX_RESTORE_VOLUMES)
      .optional()
      .describe('Only these volumes of the manifest. Default: every volume with a snapshot.'),
    gatewayArns: z
      .array(gatewayArn)
      .min(1)
      .optional()
      .describe("Only the volumes of these (source) gateways of the manifest. Default: every gateway's."),
    test: z
      .boolean()
      .default(false)
      .describe('A restore test: restore, verify, record the RTO, then delete what this restore created.'),
    check: z.boolean().default(false).describe('Run the preflight only; create nothing.'),
    rtoTargetMinutes: z.number().positive().optional().describe('The agreed RTO; a volume over it is reported so.'),
    maxConcurrency: z.int().min(1).max(MAX_MAP_CONCURRENCY).default(10).describe('Volumes restored at once.'),
    checkIntervalSeconds: z.int().min(1).max(3600).default(60).describe('Seconds between two checks of a volume.'),
    waitTimeoutMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(60)
      .describe('Give up on a volume not usable after this long.'),
  })
  .superRefine((input, ctx) => {
    if ((input.manifest === undefined) === (input.manifestUri === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['manifestUri'], message: 'give exactly one of manifest and manifestUri' });
    }
  });

export type RestoreInput = z.output<typeof RestoreInputSchema>;
export type RestoreTarget = z.output<typeof RestoreTargetSchema>;
export type ManifestGatewayInput = z.output<typeof ManifestGatewaySchema>;
export type ManifestVolumeInput = z.output<typeof ManifestVolumeSchema>;
/** What the restore steps pass on: the input without the manifest (which can be large). */
export type RestoreOptions = Omit<RestoreInput, 'manifest'>;
