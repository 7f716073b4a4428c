import type { FaultRule } from './faults.ts';

/**
 * EC2's request token bucket for `DescribeSnapshots` called with a filter or with pagination, as we always call
 * it: the "Non-mutating actions" row (bucket maximum capacity 100, refill rate 20 per second) of "Request token
 * bucket sizes and refill rates" in https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html.
 * Unfiltered and unpaginated, `DescribeSnapshots` draws on a smaller bucket (50, 10 per second), which we never use.
 */
export const EC2_DESCRIBE_SNAPSHOTS_BUCKET = { burst: 100, perSecond: 20 } as const;
/** EC2's request token bucket for `CreateTags`: capacity 100, refill rate 10 per second (same page and table). */
export const EC2_CREATE_TAGS_BUCKET = { burst: 100, perSecond: 10 } as const;

/**
 * EC2's request token bucket for the mutating calls retention makes (`DeleteSnapshot`, `LockSnapshot`,
 * `ModifySnapshotTier`): the "Mutating actions" row (bucket maximum capacity 50, refill rate 5 per second) of the
 * same table: deletes refill four times slower than describes. Each call has a bucket of its own.
 */
export const EC2_MUTATING_BUCKET = { burst: 50, perSecond: 5 } as const;

/**
 * How long a snapshot that Storage Gateway just made stays invisible to EC2 (`DescribeSnapshots` leaves it out,
 * `CreateTags` answers `InvalidSnapshot.NotFound`) unless the cloud rules say otherwise. EC2 is eventually
 * consistent and publishes no bound: "if you run a command to modify or describe the resource that you just
 * created, its ID might not have propagated throughout the system", and it advises backing off "starting with a
 * couple of seconds" (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html). The emulator
 * takes that couple of seconds.
 */
export const DEFAULT_SNAPSHOT_VISIBILITY_LAG_MS = 2000;

/**
 * What AWS always does, the default of `EmulatorOptions.cloud`: EC2's token buckets for the two EC2 calls we make,
 * and EC2's visibility lag for new snapshots. Storage Gateway publishes no request rates, so its throttling is only
 * what a test sets (a `rateLimit` rule: `ThrottlingException`). Resets, hangs and HTML pages are not among them:
 * AWS's rate of them is far below what a test fleet meets, and a seeded share of every call would tie each test's
 * call counts to it; fault rules set them where a test wants them.
 */
export const DEFAULT_CLOUD_RULES: readonly FaultRule[] = [
  { operation: 'DescribeSnapshots', rateLimit: EC2_DESCRIBE_SNAPSHOTS_BUCKET },
  { operation: 'CreateTags', rateLimit: EC2_CREATE_TAGS_BUCKET },
  { operation: 'CreateSnapshotFromVolumeRecoveryPoint', visibilityLagMs: DEFAULT_SNAPSHOT_VISIBILITY_LAG_MS },
  // Retention, lock and archive (issue 12)
  { operation: 'DeleteSnapshot', rateLimit: EC2_MUTATING_BUCKET },
  { operation: 'LockSnapshot', rateLimit: EC2_MUTATING_BUCKET },
  { operation: 'ModifySnapshotTier', rateLimit: EC2_MUTATING_BUCKET },
  // Copies (issue 13): CopySnapshot is a mutating action, and a copy is as late to show as any new snapshot.
  { operation: 'CopySnapshot', rateLimit: EC2_MUTATING_BUCKET, visibilityLagMs: DEFAULT_SNAPSHOT_VISIBILITY_LAG_MS },
];
