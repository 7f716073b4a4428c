import type { FaultRule } from '../src/local/emulator/index.ts';
import { volumeArnOf } from '../src/local/emulator/index.ts';
import type { Fleet } from '../src/local/fleet.ts';
import type { ExecutionReport } from '../src/report/execution-report.ts';

/** What every volume fails with in the failing scenario. */
export const FAILURE_ERROR = 'InvalidGatewayRequestException';

/** Every snapshot call fails. */
export const EVERY_CREATE_FAILS: FaultRule[] = [
  { operation: 'CreateSnapshotFromVolumeRecoveryPoint', error: FAILURE_ERROR },
];

/** Whether `report.json` accounts for every volume of the fleet. */
export interface Accounting {
  /** created + existing + would-create + skipped + failed equals the fleet's volumes. */
  countsAddUp: boolean;
  /** Fleet volumes named in `snapshots`, `skipped` or `failures`. */
  volumesNamed: number;
  /** Entries in `failures`. */
  failures: number;
  /** Fleet volumes named in `failures`. */
  failedVolumesNamed: number;
  /** Entries of every gateway's `manifest`. */
  manifestVolumes: number;
  volumes: number;
}

/** Checks `report.json` against the fleet. */
export function accountFor(report: unknown, fleet: Fleet): Accounting {
  const shape = (report ?? {}) as Partial<ExecutionReport>;
  const known = new Set(fleet.gateways.flatMap((g) => g.volumes.map((v) => volumeArnOf(fleet, g.id, v.id))));
  const { created = 0, existing = 0, wouldCreate = 0, skipped = 0, failed = 0 } = shape.summary ?? {};
  const failures = shape.failures ?? [];
  const inFleet = (entries: ReadonlyArray<{ volumeArn?: string }>) =>
    entries.flatMap((e) => (e.volumeArn && known.has(e.volumeArn) ? [e.volumeArn] : []));
  const failedVolumes = new Set(inFleet(failures));
  const named = new Set([...inFleet(shape.snapshots ?? []), ...inFleet(shape.skipped ?? []), ...failedVolumes]);
  return {
    countsAddUp: created + existing + wouldCreate + skipped + failed === known.size,
    volumesNamed: named.size,
    failures: failures.length,
    failedVolumesNamed: failedVolumes.size,
    manifestVolumes: (shape.manifest ?? []).reduce((sum, g) => sum + g.volumes.length, 0),
    volumes: known.size,
  };
}
