import type { OurSnapshot } from '../aws/ec2.ts';
import { SNAPSHOT_NOT_FOUND } from '../aws/ec2-visibility.ts';
import { TRANSIENT_AWS_ERRORS } from '../errors.ts';
import { isTransientNetworkFailure } from '../lambda/transient-errors.ts';
import { readableCause } from '../report/cause.ts';
import { gatewayReportOf, manifestOf } from '../report/gateway-report.ts';
import type { GatewayIteration } from '../workflow/types.ts';
import type { RetentionCandidate, RetentionContext } from './policy.ts';
import type { DeleteResult } from './report.ts';

/** Our snapshots of a gateway, with the lock states of the locked ones, as retention plans over them. */
export function candidatesOf(
  snapshots: readonly OurSnapshot[],
  locks: ReadonlyMap<string, string>,
): RetentionCandidate[] {
  return snapshots.map((s) => {
    const lockState = locks.get(s.snapshotId);
    return {
      snapshotId: s.snapshotId,
      volumeArn: s.volumeArn,
      recoveryPointTime: s.recoveryPointTime,
      state: s.state,
      legalHold: s.legalHold === true,
      ...(lockState ? { lockState } : {}),
    };
  });
}

/**
 * What a gateway's iteration tells the plan: the run's start as `now` (every round of a run plans alike), the
 * snapshots of this run's manifest, the volumes in scope and the volumes the gateway lists.
 */
export function retentionContextOf(iteration: GatewayIteration): RetentionContext {
  const { options, listed } = iteration;
  const manifest = manifestOf(gatewayReportOf(iteration));
  const seen = [...(listed?.selected ?? []), ...(listed?.skipped ?? []), ...(listed?.failures ?? [])];
  return {
    now: Date.parse(iteration.execution.startTime),
    inRunManifest: new Set(manifest.volumes.flatMap((v) => (v.snapshotId ? [v.snapshotId] : []))),
    inScope: (volumeArn) =>
      (options.volumeArns?.includes(volumeArn) ?? true) && !options.excludeVolumeArns.includes(volumeArn),
    existingVolumes: new Set(seen.map((p) => p.volumeArn)),
  };
}

/** EC2's answer to deleting a snapshot that an AMI or anything else uses. */
export const SNAPSHOT_IN_USE = 'InvalidSnapshot.InUse';
const THROTTLED = 'RequestLimitExceeded';

/**
 * What a failed `DeleteSnapshot` means: `throttled` (stop the round, go on after a wait), `retry` (a transient
 * error: the round fails and the state machine retries it), or the snapshot's own result. A snapshot already gone
 * was deleted (by an earlier attempt of the same round); one in use is kept and reported; anything else is that
 * snapshot's failure.
 */
export function deleteFailureOutcome(snapshotId: string, error: unknown): DeleteResult | 'throttled' | 'retry' {
  const name = error instanceof Error ? error.name : String(error);
  if (name === THROTTLED) return 'throttled';
  if ((TRANSIENT_AWS_ERRORS as readonly string[]).includes(name) || isTransientNetworkFailure(error)) return 'retry';
  if (name === SNAPSHOT_NOT_FOUND) return { snapshotId, outcome: 'deleted' };
  const cause = readableCause(error instanceof Error ? error.message : String(error));
  return { snapshotId, outcome: name === SNAPSHOT_IN_USE ? 'in-use' : 'delete-failed', error: name, cause };
}
