import { GATEWAY_NOT_REPORTED } from '../errors.ts';
import { newestPerVolume } from '../policy/plan-gateway.ts';
import { ARCHIVE_RESTORE_NOTE } from '../retention/archive.ts';
import type { GatewayRetention } from '../retention/report.ts';
import { countsAsSnapshot } from '../snapshot/state.ts';
import type { GatewayIteration, KnownSnapshot, SkipReason, SnapshotStatus } from '../workflow/types.ts';
import { readableCause } from './cause.ts';

/** One recovery point snapshotted (or, in a dry run, that would be). */
export interface ReportSnapshot {
  gatewayArn: string;
  volumeArn: string;
  recoveryPointTime: string;
  /** Absent only for `would-create`. */
  snapshotId?: string;
  status: SnapshotStatus;
  sizeBytes: number;
  /** EC2 snapshot state, once known: pending, completed, error. */
  state?: string;
  progress?: string;
  /** When the snapshot was made: our create call's return, or EC2's start time of an existing one. */
  snapshotTime?: string;
}

export interface ReportSkip {
  gatewayArn: string;
  volumeArn: string;
  recoveryPointTime: string;
  sizeBytes: number;
  reason: SkipReason;
  /** With reason `already-snapshotted`: the snapshot that holds this point. */
  snapshotId?: string;
}

/**
 * A recovery point (or, without `volumeArn`, a whole gateway) that failed. A snapshot that exists although its
 * volume failed (it ended in `error`, its completion wait timed out or could not be checked) keeps its ID and last
 * known state here.
 */
export interface ReportFailure {
  gatewayArn: string;
  volumeArn?: string;
  recoveryPointTime?: string;
  sizeBytes?: number;
  error: string;
  cause: string;
  snapshotId?: string;
  state?: string;
  /** Copies (issue 13): the destination (`<region>.<account>`) of a copy that failed; the source snapshot is whole. */
  copyDestination?: string;
}

/** Where a manifest entry's snapshot came from. */
export type SnapshotSource = 'created' | 'existing' | 'earlier-run';

/** What to restore one volume from: the newest usable snapshot of it made by this tool, or `null` and why. */
export interface ManifestVolume {
  volumeArn: string;
  snapshotId: string | null;
  recoveryPointTime?: string;
  sizeBytes?: number;
  state?: string;
  snapshotTime?: string;
  source?: SnapshotSource;
  /** With `snapshotId: null`: the skip reason or error that left the volume without one. */
  reason?: string;
  /** Copies (issue 13): the snapshot's copy in each destination, when the run makes copies. */
  copies?: ManifestCopy[];
}

/** Copies (issue 13): one destination's copy of a volume's snapshot; `snapshotId: null` when there is none. */
export interface ManifestCopy {
  region: string;
  accountId: string;
  snapshotId: string | null;
  /** EC2's state of the copy (`completed` is usable), or `failed` when none could be made. */
  state: string;
}

/** What a DR runbook needs to create volumes from the snapshots, per gateway. */
export interface ManifestGateway {
  gatewayArn: string;
  gatewayName?: string;
  volumes: ManifestVolume[];
  /** The gateway's own failure: its volumes could not be listed, so only those EC2 knows snapshots of are here. */
  error?: string;
  /** Archive (issue 12): snapshots of ours in the archive tier, which a restore must first bring back. */
  archived?: ArchivedSnapshot[];
}

/** A snapshot in the archive tier, as the manifest warns of it. */
export interface ArchivedSnapshot {
  volumeArn: string;
  snapshotId: string;
  recoveryPointTime: string;
  /** `ARCHIVE_RESTORE_NOTE`: restore it to the standard tier first, up to 72 hours. */
  note: string;
}

/**
 * One gateway's whole account, as its evidence object holds it: every recovery point seen is in exactly one of
 * `snapshots`, `skipped` or `failures`, with full ARNs; nothing is cut.
 */
export interface GatewayReport {
  gatewayArn: string;
  recoveryPoints: number;
  selected: number;
  snapshots: ReportSnapshot[];
  skipped: ReportSkip[];
  failures: ReportFailure[];
  /** Per volume in scope, the newest usable snapshot earlier runs made. */
  earlierSnapshots: KnownSnapshot[];
  /** Retention (issue 12): every snapshot of ours it looked at, and what became of it. */
  retention?: GatewayRetention;
}

export interface GatewayCounts {
  recoveryPoints: number;
  selected: number;
  created: number;
  existing: number;
  wouldCreate: number;
  skipped: number;
  failed: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
}

/** `…/gateway/sgw-1/volume/vol-1` → `vol-1`; `…/gateway/sgw-1` → `sgw-1` */
export function volumeIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** `…/gateway/sgw-1/volume/vol-1` → `…/gateway/sgw-1` */
export function gatewayArnOfVolume(volumeArn: string): string {
  return volumeArn.slice(0, volumeArn.lastIndexOf('/volume/'));
}

/** Folds one gateway's iteration (listing, outcomes, failures) into its whole account. */
export function gatewayReportOf({
  gatewayArn,
  listed,
  listFailure,
  outcomes = [],
  options,
}: GatewayIteration): GatewayReport {
  const report: GatewayReport = {
    gatewayArn,
    recoveryPoints: listed?.recoveryPoints ?? 0,
    selected: listed?.selected.length ?? 0,
    snapshots: [],
    skipped: (listed?.skipped ?? []).map((skip) => ({ gatewayArn, ...skip })),
    failures: (listed?.failures ?? []).map((f) => ({ gatewayArn, ...f, cause: readableCause(f.cause) })),
    earlierSnapshots: listed?.earlierSnapshots ?? [],
  };
  const sizes = new Map((listed?.selected ?? []).map((p) => [p.volumeArn, p.sizeBytes]));
  for (const outcome of outcomes) {
    if ('failure' in outcome) {
      const { volumeArn, recoveryPointTime, failure } = outcome;
      const sizeBytes = sizes.get(volumeArn);
      report.failures.push({
        gatewayArn,
        volumeArn,
        recoveryPointTime,
        ...(sizeBytes === undefined ? {} : { sizeBytes }),
        error: failure.Error,
        cause: readableCause(failure.Cause),
      });
    } else {
      report.snapshots.push({ gatewayArn, ...outcome });
    }
  }
  if (options.dryRun) {
    for (const point of listed?.selected ?? []) report.snapshots.push({ gatewayArn, ...point, status: 'would-create' });
  }
  if (listFailure)
    report.failures.push({ gatewayArn, error: listFailure.Error, cause: readableCause(listFailure.Cause) });
  return report;
}

/** A gateway's counts, derived from its lists; a gateway that failed as a whole counts as one failure. */
export function gatewayCounts(gateway: Omit<GatewayReport, 'earlierSnapshots'>): GatewayCounts {
  const counts: GatewayCounts = {
    recoveryPoints: gateway.recoveryPoints,
    selected: gateway.selected,
    created: 0,
    existing: 0,
    wouldCreate: 0,
    skipped: gateway.skipped.length,
    failed: gateway.failures.length,
    skippedByReason: {},
  };
  for (const { status } of gateway.snapshots) {
    if (status === 'created') counts.created += 1;
    else if (status === 'existing') counts.existing += 1;
    else counts.wouldCreate += 1;
  }
  for (const { reason } of gateway.skipped) counts.skippedByReason[reason] = (counts.skippedByReason[reason] ?? 0) + 1;
  return counts;
}

/**
 * What to restore each volume in scope from (every volume seen but the `excluded` ones): this run's snapshot when
 * it is usable, else the snapshot that already held the point, else the newest an earlier run made; a volume with
 * none is listed with `snapshotId: null` and the reason.
 */
export function manifestOf(gateway: GatewayReport, gatewayName?: string): ManifestGateway {
  const candidates: Array<ManifestVolume & { recoveryPointTime: string }> = [];
  const reasons = new Map<string, string>();
  for (const s of gateway.snapshots) {
    if (!s.snapshotId || !countsAsSnapshot({ state: s.state ?? 'pending' })) {
      reasons.set(s.volumeArn, s.snapshotId ? `snapshot ${s.state}` : s.status);
      continue;
    }
    candidates.push({
      volumeArn: s.volumeArn,
      snapshotId: s.snapshotId,
      recoveryPointTime: s.recoveryPointTime,
      sizeBytes: s.sizeBytes,
      ...(s.state ? { state: s.state } : {}),
      ...(s.snapshotTime ? { snapshotTime: s.snapshotTime } : {}),
      source: s.status === 'created' ? 'created' : 'existing',
    });
  }
  const earlier = new Map(gateway.earlierSnapshots.map((s) => [s.snapshotId, s]));
  for (const skip of gateway.skipped) {
    if (skip.reason === 'excluded') continue;
    reasons.set(skip.volumeArn, skip.reason);
    if (!skip.snapshotId) continue;
    const known = earlier.get(skip.snapshotId);
    candidates.push({
      volumeArn: skip.volumeArn,
      snapshotId: skip.snapshotId,
      recoveryPointTime: skip.recoveryPointTime,
      sizeBytes: skip.sizeBytes,
      ...(known ? { state: known.state } : {}),
      ...(known?.snapshotTime ? { snapshotTime: known.snapshotTime } : {}),
      source: 'existing',
    });
  }
  for (const failure of gateway.failures) if (failure.volumeArn) reasons.set(failure.volumeArn, failure.error);
  const sizes = new Map([...gateway.snapshots, ...gateway.skipped].map((p) => [p.volumeArn, p.sizeBytes]));
  for (const failure of gateway.failures) {
    if (failure.volumeArn && failure.sizeBytes !== undefined) sizes.set(failure.volumeArn, failure.sizeBytes);
  }
  for (const s of gateway.earlierSnapshots) {
    const sizeBytes = sizes.get(s.volumeArn);
    candidates.push({
      volumeArn: s.volumeArn,
      snapshotId: s.snapshotId,
      recoveryPointTime: s.recoveryPointTime,
      ...(sizeBytes === undefined ? {} : { sizeBytes }),
      state: s.state,
      ...(s.snapshotTime ? { snapshotTime: s.snapshotTime } : {}),
      source: 'earlier-run',
    });
  }
  const chosen = new Map(newestPerVolume(candidates).map((v) => [v.volumeArn, v]));
  const volumes: ManifestVolume[] = [...chosen.values()];
  for (const [volumeArn, reason] of reasons) {
    const sizeBytes = sizes.get(volumeArn);
    if (!chosen.has(volumeArn)) {
      volumes.push({ volumeArn, snapshotId: null, ...(sizeBytes === undefined ? {} : { sizeBytes }), reason });
    }
  }
  volumes.sort((a, b) => a.volumeArn.localeCompare(b.volumeArn));
  const gatewayFailure = gateway.failures.find((f) => !f.volumeArn);
  const archived = (gateway.retention?.rows ?? [])
    .filter((r) => r.outcome === 'kept' && r.archived)
    .map(({ volumeArn, snapshotId, recoveryPointTime }) => ({
      volumeArn,
      snapshotId,
      recoveryPointTime,
      note: ARCHIVE_RESTORE_NOTE,
    }));
  return {
    gatewayArn: gateway.gatewayArn,
    ...(gatewayName ? { gatewayName } : {}),
    volumes,
    ...(gatewayFailure ? { error: gatewayFailure.error } : {}),
    ...(archived.length ? { archived } : {}),
  };
}

/**
 * The account of a gateway whose child execution wrote none (it failed, timed out or was aborted): the gateway
 * failed, and every snapshot EC2 knows this execution made of its volumes is still listed, with its state.
 */
export function unreportedGateway(
  gatewayArn: string,
  madeByThisRun: readonly KnownSnapshot[],
  cause: string,
): GatewayReport {
  const prefix = `${gatewayArn}/volume/`;
  return {
    gatewayArn,
    recoveryPoints: 0,
    selected: 0,
    snapshots: madeByThisRun
      .filter((s) => s.volumeArn.startsWith(prefix))
      .map((s) => ({
        gatewayArn,
        volumeArn: s.volumeArn,
        recoveryPointTime: s.recoveryPointTime,
        snapshotId: s.snapshotId,
        status: 'created' as const,
        sizeBytes: s.sizeBytes ?? 0,
        state: s.state,
        ...(s.snapshotTime ? { snapshotTime: s.snapshotTime } : {}),
      })),
    skipped: [],
    failures: [{ gatewayArn, error: GATEWAY_NOT_REPORTED, cause }],
    earlierSnapshots: [],
  };
}

/** The gateway's volume failures that name no snapshot. */
export function failuresWithoutSnapshot(gateway: GatewayReport): ReportFailure[] {
  return gateway.failures.filter((f) => f.volumeArn && !f.snapshotId);
}

/** Error names of a step that ended without answering (a Lambda crash or time-out, a Step Functions error). */
const UNANSWERED_ERROR_PREFIXES = ['States.', 'Lambda.', 'Sandbox.'] as const;

/**
 * Whether EC2's answer (`madeByThisRun`) shows a snapshot wherever this run may have made one that no step named:
 * on each gateway in `unreported` (its child wrote no evidence) and for each failed volume whose step ended without
 * answering, so that its own backoff never saw the snapshot. A volume whose step answered with an error already
 * waited for EC2 in the create step. Summarise looks again until this holds, through EC2's visibility lag; a child
 * that failed before any create shows none, and the look-up ends with the backoff.
 */
export function showsUnnamedSnapshots(
  madeByThisRun: readonly KnownSnapshot[],
  unreported: readonly string[],
  gateways: readonly GatewayReport[],
): boolean {
  const volumes = new Set(madeByThisRun.map((s) => s.volumeArn));
  const onGateway = (gatewayArn: string) => [...volumes].some((v) => v.startsWith(`${gatewayArn}/volume/`));
  const unanswered = gateways
    .flatMap(failuresWithoutSnapshot)
    .filter((f) => UNANSWERED_ERROR_PREFIXES.some((prefix) => f.error.startsWith(prefix)));
  return unreported.every(onGateway) && unanswered.every((f) => volumes.has(f.volumeArn ?? ''));
}

/**
 * A failed volume that this run nevertheless snapshotted (its step failed after Storage Gateway made the snapshot:
 * a retag or a time-out) gets that snapshot's ID and state in its failure: no created snapshot is missing from the
 * evidence. `madeByThisRun` is what EC2 knows this execution made.
 */
export function nameFailedSnapshots(gateway: GatewayReport, madeByThisRun: readonly KnownSnapshot[]): GatewayReport {
  if (!failuresWithoutSnapshot(gateway).length) return gateway;
  const made = new Map(madeByThisRun.map((s) => [`${s.volumeArn}@${s.recoveryPointTime}`, s]));
  const byVolume = new Map(newestPerVolume(madeByThisRun).map((s) => [s.volumeArn, s]));
  return {
    ...gateway,
    failures: gateway.failures.map((failure) => {
      if (!failure.volumeArn || failure.snapshotId) return failure;
      const snapshot = made.get(`${failure.volumeArn}@${failure.recoveryPointTime}`) ?? byVolume.get(failure.volumeArn);
      return snapshot ? { ...failure, snapshotId: snapshot.snapshotId, state: snapshot.state } : failure;
    }),
  };
}
