import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { InvalidFleetError } from '../errors.ts';
import { seededRandom } from './emulator/random.ts';

/** The gateway types Storage Gateway reports; only `CACHED` gateways have recovery points. */
export const GATEWAY_TYPES = ['CACHED', 'STORED', 'VTL', 'VTL_SNOW', 'FILE_S3', 'FILE_FSX_SMB'] as const;
const TYPES_WITH_VOLUMES: readonly GatewayType[] = ['CACHED', 'STORED'];

export const DEFAULT_FLEET_REGION = 'us-east-1';
export const DEFAULT_FLEET_ACCOUNT_ID = '111122223333';
export const DEFAULT_FLEET_SEED = 1;

const GIB = 2 ** 30;
const GENERATED_SIZES_GIB = [100, 150, 250, 500, 1024, 2048] as const;
const GENERATED_MIN_AGE_MINUTES = 10;
const GENERATED_MAX_AGE_MINUTES = 120;

export const FleetVolumeSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^vol-[0-9A-Za-z]{8,26}$/, { error: 'must look like vol-1122AABB' })
      .describe('Volume ID, unique in the fleet; its ARN is the gateway ARN + `/volume/<id>`.'),
    sizeBytes: z.int().positive().describe('VolumeSizeInBytes.'),
    usageBytes: z
      .int()
      .min(0)
      .optional()
      .describe('Bytes in use; leave out to model a volume for which the API omits VolumeUsageInBytes.'),
    recoveryPointAgeMinutes: z
      .number()
      .min(0)
      .optional()
      .describe('Age of the recovery point when the emulator starts.'),
    recoveryPointTime: z
      .string()
      .optional()
      .describe('VolumeRecoveryPointTime exactly as the API will return it, even if it is not a valid time.'),
  })
  .refine((v) => (v.recoveryPointAgeMinutes === undefined) !== (v.recoveryPointTime === undefined), {
    error: 'needs exactly one of recoveryPointAgeMinutes and recoveryPointTime',
  })
  .refine((v) => v.usageBytes === undefined || v.usageBytes <= v.sizeBytes, {
    error: 'usageBytes cannot exceed sizeBytes',
    path: ['usageBytes'],
  });

export const FleetGatewaySchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^sgw-[0-9A-Za-z]{8,26}$/, { error: 'must look like sgw-12A3456B' })
      .describe(
        'Gateway ID, unique in the fleet; its ARN is `arn:aws:storagegateway:<region>:<accountId>:gateway/<id>`.',
      ),
    name: z.string().min(1).max(255).describe('GatewayName, shown beside the ID.'),
    type: z.enum(GATEWAY_TYPES).describe('GatewayType; only CACHED gateways have recovery points.'),
    volumes: z
      .array(FleetVolumeSchema)
      .default([])
      .describe(
        'Its volumes (CACHED or STORED gateways only); each needs exactly one of the two recovery-point fields.',
      ),
    // Restore (issue 14): what a gateway needs to be the target of a restore.
    state: z
      .enum(['RUNNING', 'SHUTDOWN'])
      .optional()
      .describe('GatewayState of DescribeGatewayInformation. Default: RUNNING.'),
    networkInterfaces: z
      .array(z.ipv4())
      .optional()
      .describe('IPv4 addresses of the gateway: the NetworkInterfaceId a cached volume is exposed on.'),
    cacheBytes: z.int().min(0).optional().describe('Cache disk allocated (DescribeCache). Default: none.'),
    cacheFull: z.boolean().optional().describe('The cache disk is full: creating a cached volume fails.'),
    uploadBufferBytes: z
      .int()
      .min(0)
      .optional()
      .describe('Upload buffer allocated (DescribeUploadBuffer). Default: none.'),
  })
  .refine((g) => g.volumes.length === 0 || TYPES_WITH_VOLUMES.includes(g.type), {
    error: `only ${TYPES_WITH_VOLUMES.join(' and ')} gateways have volumes`,
    path: ['volumes'],
  });

// Copies (issue 13): the other accounts the emulator serves, told apart by their access keys as AWS does.
const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ACCOUNT_ID = z.string().regex(/^\d{12}$/, { error: 'must be 12 digits' });

export const FleetAccountSchema = z.strictObject({
  accountId: ACCOUNT_ID.describe('The account.'),
  accessKeyId: z
    .string()
    .regex(/^[A-Z0-9]{16,128}$/, { error: 'must be 16 to 128 capitals and digits, like AKIAIOSFODNN7EXAMPLE' })
    .describe("An access key of the account: a request signed with it is the account's."),
  roles: z
    .array(
      z.strictObject({
        name: z
          .string()
          .regex(/^[\w+=,.@-]{1,64}$/, { error: 'must be an IAM role name' })
          .describe('Role name.'),
        trustedAccountIds: z
          .array(ACCOUNT_ID)
          .describe('Accounts whose callers may assume the role (its trust policy).'),
      }),
    )
    .optional()
    .describe('Roles STS AssumeRole hands credentials of this account for.'),
});

/**
 * Restore (issue 14): KMS's `KeyState` enum (KMS API Reference, `KeyMetadata.KeyState`; the same values in
 * `@aws-sdk/client-kms`'s `KeyState`).
 */
export const KMS_KEY_STATES = [
  'Creating',
  'Enabled',
  'Disabled',
  'PendingDeletion',
  'PendingImport',
  'PendingReplicaDeletion',
  'Unavailable',
  'Updating',
] as const;

export const FleetKmsKeySchema = z.strictObject({
  keyId: z
    .string()
    .regex(KEY_ID, { error: 'must be a key ID such as 1234abcd-12ab-34cd-56ef-1234567890ab' })
    .describe('Key ID; its ARN is arn:aws:kms:<region>:<accountId>:key/<keyId>.'),
  accountId: ACCOUNT_ID.describe('The account that owns the key.'),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be a Region such as us-east-1' })
    .describe('Its Region.'),
  usableBy: z
    .array(ACCOUNT_ID)
    .optional()
    .describe('Other accounts its key policy lets use it (for a copy of a snapshot it encrypts). Default: none.'),
  // Restore (issue 14): the restore preflight asks KMS (DescribeKey) whether a snapshot's key can be used.
  keyState: z.enum(KMS_KEY_STATES).default('Enabled').describe("Its KeyState, as KMS's DescribeKey answers it."),
});

/** A fleet of gateways and volumes the emulator serves. The types below come from this schema. */
export const FleetSchema = z
  .strictObject({
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be a Region such as us-east-1' })
      .describe('Region of the ARNs.'),
    accountId: z
      .string()
      .regex(/^\d{12}$/, { error: 'must be 12 digits' })
      .describe('Account of the ARNs; local executions run in 111122223333, the default.'),
    gateways: z.array(FleetGatewaySchema).describe('The gateways ListGateways returns.'),
    // Retention (issue 12): a year of earlier runs' snapshots, for tests and the bench.
    snapshotHistory: z
      .strictObject({
        days: z.int().min(1).max(3660).describe('How many days back the history reaches.'),
        everyHours: z.number().positive().max(744).describe('Hours between two snapshots of a volume.'),
      })
      .optional()
      .describe('Completed snapshots of ours that earlier runs left on every cached volume, one every everyHours.'),
    // Copies (issue 13)
    accounts: z
      .array(FleetAccountSchema)
      .optional()
      .describe("Other accounts, their access keys and roles; any other key is the fleet's own account."),
    kmsKeys: z.array(FleetKmsKeySchema).optional().describe('KMS keys, per account and Region.'),
    snapshotKmsKeyId: z
      .string()
      .regex(KEY_ID, { error: 'must be a key ID such as 1234abcd-12ab-34cd-56ef-1234567890ab' })
      .optional()
      .describe("Key ID (of kmsKeys) the gateways' snapshots are encrypted with. Default: unencrypted."),
  })
  .superRefine((fleet, ctx) => {
    // A set, not `indexOf` per id: a fleet of 32,000 volumes is checked in milliseconds, not tens of seconds.
    const seen = new Set<string>();
    const repeated = fleet.gateways
      .flatMap((g) => [g.id, ...g.volumes.map((v) => v.id)])
      .find((id) => seen.size === seen.add(id).size);
    if (repeated) ctx.addIssue({ code: 'custom', message: `id ${repeated} is used twice`, path: ['gateways'] });
  });

export type GatewayType = (typeof GATEWAY_TYPES)[number];
/** A fleet as written in a fleet file. */
export type FleetInput = z.input<typeof FleetSchema>;
export type Fleet = z.output<typeof FleetSchema>;
export type FleetGateway = Fleet['gateways'][number];
export type FleetVolume = FleetGateway['volumes'][number];
/** Copies (issue 13): an account of the fleet. */
export type FleetAccount = z.output<typeof FleetAccountSchema>;
/** Copies (issue 13): a KMS key of the fleet. */
export type FleetKmsKey = z.output<typeof FleetKmsKeySchema>;

/**
 * Validates an already-parsed fleet.
 * @throws {InvalidFleetError} naming every offending field
 */
export function parseFleet(value: unknown): Fleet {
  const result = FleetSchema.safeParse(value);
  if (!result.success)
    throw new InvalidFleetError(`Invalid fleet:\n${z.prettifyError(result.error)}`, { cause: result.error });
  return result.data;
}

/**
 * Reads and validates a fleet JSON file.
 * @throws {InvalidFleetError} when the file cannot be read, is not JSON or breaks the schema
 */
export async function loadFleet(path: string): Promise<Fleet> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new InvalidFleetError(`Cannot read fleet file ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    return parseFleet(value);
  } catch (error) {
    if (!(error instanceof InvalidFleetError)) throw error;
    throw new InvalidFleetError(`${path}: ${error.message}`, { cause: error.cause });
  }
}

export interface GenerateFleetOptions {
  gateways: number;
  volumesPerGateway: number;
  /** @default DEFAULT_FLEET_SEED */
  seed?: number;
  /** @default DEFAULT_FLEET_REGION */
  region?: string;
  /** @default DEFAULT_FLEET_ACCOUNT_ID */
  accountId?: string;
  /** Earlier runs' snapshots on every volume. @default none */
  snapshotHistory?: Fleet['snapshotHistory'];
}

/**
 * A fleet of `CACHED` gateways with ids `sgw-00000001`, `sgw-00000002`… and volumes `vol-00000001`…
 * numbered across the fleet; sizes, usage and recovery point ages (10–120 minutes) come from `seed`.
 */
export function generateFleet(options: GenerateFleetOptions): Fleet {
  const random = seededRandom(options.seed ?? DEFAULT_FLEET_SEED);
  const pick = (count: number): number => Math.floor(random() * count);
  let volumeNumber = 0;
  const gateways = Array.from({ length: options.gateways }, (_, g) => ({
    id: `sgw-${hex8(g + 1)}`,
    name: `gateway-${g + 1}`,
    type: 'CACHED' as const,
    volumes: Array.from({ length: options.volumesPerGateway }, () => {
      const sizeBytes = (GENERATED_SIZES_GIB[pick(GENERATED_SIZES_GIB.length)] ?? 100) * GIB;
      return {
        id: `vol-${hex8(++volumeNumber)}`,
        sizeBytes,
        usageBytes: 1 + pick(sizeBytes),
        recoveryPointAgeMinutes:
          GENERATED_MIN_AGE_MINUTES + pick(GENERATED_MAX_AGE_MINUTES - GENERATED_MIN_AGE_MINUTES + 1),
      };
    }),
  }));
  return parseFleet({
    region: options.region ?? DEFAULT_FLEET_REGION,
    accountId: options.accountId ?? DEFAULT_FLEET_ACCOUNT_ID,
    gateways,
    ...(options.snapshotHistory ? { snapshotHistory: options.snapshotHistory } : {}),
  });
}

function hex8(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, '0');
}
