import { type KeyFacts, keyProblem } from './kms-keys.ts';
import { TARGET_NAME_PATTERN } from './names.ts';
import type { RestoreCandidate } from './plan.ts';
import type { RestoreTarget } from './schema.ts';

/**
 * A cached gateway holds at most 32 volumes (Storage Gateway quotas, "Volume gateway": "Maximum number of volumes
 * per gateway: 32", https://docs.aws.amazon.com/storagegateway/latest/vgw/resource-vgw-limits.html).
 */
export const MAX_VOLUMES_PER_CACHED_GATEWAY = 32;

/** What the preflight read of the target gateway (`DescribeGatewayInformation`, `DescribeCache`, …). */
export interface GatewayFacts {
  gatewayArn: string;
  /** `GatewayState`: `RUNNING` or `SHUTDOWN`; absent when the gateway could not be described. */
  state?: string;
  type?: string;
  networkInterfaces: string[];
  cacheAllocatedBytes: number;
  /** `CacheUsedPercentage` of `DescribeCache`. */
  cacheUsedPercent?: number;
  uploadBufferAllocatedBytes: number;
  volumeCount: number;
  takenTargetNames: string[];
  /** Why the gateway could not be described (e.g. `GatewayNotFound`). */
  error?: string;
}

/** What `DescribeSnapshots` said of one snapshot. */
export interface SnapshotFacts {
  state: string;
  /** `standard` or `archive`. */
  storageTier: string;
  volumeSizeGib: number;
  /** The ARN of the KMS key it is encrypted with (`KmsKeyId`), when it is encrypted with one. */
  kmsKeyId?: string;
}

export interface PreflightFacts {
  gateway?: GatewayFacts;
  /** By snapshot ID; a snapshot `DescribeSnapshots` does not know is absent. */
  snapshots: Readonly<Record<string, SnapshotFacts>>;
  /** What `DescribeKey` said of each snapshot's KMS key, by the snapshot's `kmsKeyId`. */
  keys?: Readonly<Record<string, KeyFacts>>;
}

/** The checks, in the order they are reported. */
export const PREFLIGHT_CHECKS = [
  'gateway-described',
  'gateway-running',
  'gateway-cached',
  'network-interface',
  'cache',
  'upload-buffer',
  'volume-count',
  'target-name',
  'snapshot-exists',
  'snapshot-completed',
  'snapshot-not-archived',
  'kms-key',
] as const;
export type PreflightCheck = (typeof PREFLIGHT_CHECKS)[number];

/** One problem the preflight found: which check, about what (a gateway ARN, a volume ARN), and what to do. */
export interface PreflightProblem {
  check: PreflightCheck;
  subject: string;
  message: string;
}

// How long a snapshot takes to come back from the archive tier (EC2 User Guide, "Restore an archived snapshot":
// "up to 72 hours"), https://docs.aws.amazon.com/ebs/latest/userguide/working-with-snapshot-archiving.html.
const ARCHIVE_RESTORE_DELAY = 'up to 72 hours';

/**
 * Every problem that would stop the restore of `candidates` to `target`, named before anything is created; an
 * empty list means go. Pure: the facts are read by the caller.
 */
export function preflightProblems(
  candidates: readonly RestoreCandidate[],
  target: RestoreTarget,
  facts: PreflightFacts,
  targetNameOf: (candidate: RestoreCandidate) => string,
): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  if ('gateway' in target) problems.push(...gatewayProblems(candidates, target.gateway, facts.gateway, targetNameOf));
  for (const candidate of candidates) problems.push(...snapshotProblems(candidate, facts.snapshots, facts.keys ?? {}));
  const order = (p: PreflightProblem) => PREFLIGHT_CHECKS.indexOf(p.check);
  return problems.sort((a, b) => order(a) - order(b));
}

function gatewayProblems(
  candidates: readonly RestoreCandidate[],
  target: { gatewayArn: string; networkInterfaceId: string },
  gateway: GatewayFacts | undefined,
  targetNameOf: (candidate: RestoreCandidate) => string,
): PreflightProblem[] {
  const subject = target.gatewayArn;
  if (!gateway || gateway.error || gateway.state === undefined) {
    const why = gateway?.error ?? 'it was not described';
    return [{ check: 'gateway-described', subject, message: `the target gateway cannot be used: ${why}` }];
  }
  const problems: PreflightProblem[] = [];
  const add = (check: PreflightCheck, message: string, on = subject) => problems.push({ check, subject: on, message });
  if (gateway.state !== 'RUNNING') add('gateway-running', `the gateway is ${gateway.state}, not RUNNING: start it`);
  if (gateway.type !== 'CACHED')
    add('gateway-cached', `the gateway is ${gateway.type ?? 'of no known type'}, not CACHED`);
  if (!gateway.networkInterfaces.includes(target.networkInterfaceId)) {
    const known = gateway.networkInterfaces.join(', ') || 'none';
    add('network-interface', `${target.networkInterfaceId} is not an address of the gateway (it has: ${known})`);
  }
  if (gateway.cacheAllocatedBytes <= 0) add('cache', 'no cache disk is configured (AddCache)');
  else if ((gateway.cacheUsedPercent ?? 0) >= 100) add('cache', 'the cache is full (CacheUsedPercentage 100)');
  if (gateway.uploadBufferAllocatedBytes <= 0) add('upload-buffer', 'no upload buffer is configured (AddUploadBuffer)');
  const room = MAX_VOLUMES_PER_CACHED_GATEWAY - gateway.volumeCount;
  if (candidates.length > room) {
    add(
      'volume-count',
      `${candidates.length} volumes do not fit: the gateway has ${gateway.volumeCount} of at most ${MAX_VOLUMES_PER_CACHED_GATEWAY}`,
    );
  }
  const taken = new Set(gateway.takenTargetNames);
  for (const candidate of candidates) {
    const name = targetNameOf(candidate);
    if (!TARGET_NAME_PATTERN.test(name))
      add('target-name', `target name ${name} is not valid`, candidate.sourceVolumeArn);
    else if (taken.has(name))
      add(
        'target-name',
        `target name ${name} is taken on the gateway: delete or rename that volume`,
        candidate.sourceVolumeArn,
      );
  }
  return problems;
}

function snapshotProblems(
  candidate: RestoreCandidate,
  snapshots: Readonly<Record<string, SnapshotFacts>>,
  keys: Readonly<Record<string, KeyFacts>>,
): PreflightProblem[] {
  const subject = candidate.sourceVolumeArn;
  const id = candidate.snapshotId;
  const snapshot = Object.hasOwn(snapshots, id) ? snapshots[id] : undefined;
  if (!snapshot) return [{ check: 'snapshot-exists', subject, message: `snapshot ${id} does not exist` }];
  const problems: PreflightProblem[] = [];
  if (snapshot.state !== 'completed')
    problems.push({
      check: 'snapshot-completed',
      subject,
      message: `snapshot ${id} is ${snapshot.state}, not completed`,
    });
  if (snapshot.storageTier === 'archive') {
    problems.push({
      check: 'snapshot-not-archived',
      subject,
      message: `snapshot ${id} is archived: restore it to the standard tier first (RestoreSnapshotTier; ${ARCHIVE_RESTORE_DELAY})`,
    });
  }
  const keyId = snapshot.kmsKeyId;
  const unusable = keyId && keyProblem(id, keyId, Object.hasOwn(keys, keyId) ? keys[keyId] : undefined);
  if (unusable) problems.push({ check: 'kms-key', subject, message: unusable });
  return problems;
}
