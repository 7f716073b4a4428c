import type { GatewayIteration, KnownSnapshot, SnapshotOutcome, VolumeFailure } from '../../src/workflow/types.ts';
import { EXECUTION, GATEWAY_ARN, optionsOf, volumeArn } from './fixtures.ts';

export const TIME = '2025-01-15T11:00:00.000Z';
export const EARLIER = '2025-01-14T11:00:00.000Z';

/** UTF-8 bytes of a value's JSON, as Step Functions counts a payload. */
export function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** `vol-00000000000000001` … : IDs as long as real ones. */
export function volumeIds(count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, i) => `vol-${(from + i).toString(16).padStart(17, '0')}`);
}

export function created(volumeId: string, gatewayArn = GATEWAY_ARN): SnapshotOutcome {
  return {
    volumeArn: volumeArn(volumeId, gatewayArn),
    recoveryPointTime: TIME,
    snapshotId: `snap-${volumeId.slice(4)}`,
    status: 'created',
    sizeBytes: 1_000,
    snapshotTime: '2025-01-15T11:30:00.000Z',
  };
}

/** A snapshot of an earlier run, as the list step found it. */
export function earlier(volumeId: string, state = 'completed', gatewayArn = GATEWAY_ARN): KnownSnapshot {
  return {
    volumeArn: volumeArn(volumeId, gatewayArn),
    snapshotId: `snap-old-${volumeId.slice(4)}`,
    recoveryPointTime: EARLIER,
    state,
  };
}

/** A volume the state machine's `VolumeFailed` state recorded, with the Catch's error output. */
export function failed(volumeId: string, error: string, cause: string, gatewayArn = GATEWAY_ARN): VolumeFailure {
  return {
    volumeArn: volumeArn(volumeId, gatewayArn),
    recoveryPointTime: TIME,
    failure: { Error: error, Cause: cause },
  };
}

/** A gateway iteration as the state machine hands it to SummariseGateway. */
export function iteration(fields: Partial<GatewayIteration> = {}, dryRun = false): GatewayIteration {
  return { gatewayArn: GATEWAY_ARN, options: optionsOf({ dryRun }), execution: EXECUTION, ...fields };
}

/** A gateway's listing: `selected` volumes to snapshot, the rest skipped `too-new`, plus earlier snapshots. */
export function listing(selected: string[], tooNew: string[] = [], earlierSnapshots: KnownSnapshot[] = []) {
  const point = (id: string) => ({ volumeArn: volumeArn(id), recoveryPointTime: TIME, sizeBytes: 1_000 });
  return {
    recoveryPoints: selected.length + tooNew.length,
    selected: selected.map(point),
    skipped: tooNew.map((id) => ({ ...point(id), reason: 'too-new' as const })),
    failures: [],
    earlierSnapshots,
  };
}
