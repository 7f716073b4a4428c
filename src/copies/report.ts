import { COPY_DESTINATION_FAILED, COPY_NOT_COMPLETED } from '../errors.ts';
import { readableCause } from '../report/cause.ts';
import type { ExecutionReport } from '../report/execution-report.ts';
import { type ManifestCopy, type ReportFailure, volumeIdOf } from '../report/gateway-report.ts';
import type { StatesError } from '../workflow/types.ts';
import type { CopyItem, CopyRetentionProgress, DestinationRef } from './types.ts';

/**
 * How one destination's copies ended: its book's items, when the book could be read, and the failure that stopped
 * its rounds (or the planning) for good, when one did.
 */
export interface CopyOutcome {
  destination: Pick<DestinationRef, 'key' | 'region' | 'accountId'>;
  items?: readonly CopyItem[];
  failure?: StatesError;
  /** The destination's retention, when its input has one. */
  retention?: CopyRetentionProgress;
}

/**
 * The report with the copies in it: every manifest volume that has a snapshot gains `copies`, one entry per
 * destination; a volume whose copy to a destination is not usable is a failure of that volume and destination (its
 * source snapshot and its other copies stay as they are), so no gap is silent. Pure.
 */
export function withCopies(report: ExecutionReport, outcomes: readonly CopyOutcome[]): ExecutionReport {
  const failures: ReportFailure[] = [];
  let completed = 0;
  const byVolume = outcomes.map((o) => new Map((o.items ?? []).map((i) => [i.volumeArn, i])));
  const manifest = report.manifest.map((gateway) => ({
    ...gateway,
    volumes: gateway.volumes.map((volume) => {
      if (!volume.snapshotId) return volume;
      const copies = outcomes.map((outcome, d): ManifestCopy => {
        const item = byVolume[d]?.get(volume.volumeArn);
        const { region, accountId, key } = outcome.destination;
        if (item?.state === 'completed' && item.copySnapshotId) {
          completed += 1;
          return { region, accountId, snapshotId: item.copySnapshotId, state: 'completed' };
        }
        const why = reasonOf(item, outcome.failure);
        failures.push({
          gatewayArn: gateway.gatewayArn,
          volumeArn: volume.volumeArn,
          ...(volume.recoveryPointTime ? { recoveryPointTime: volume.recoveryPointTime } : {}),
          ...(volume.sizeBytes === undefined ? {} : { sizeBytes: volume.sizeBytes }),
          error: why.error,
          cause: `copy of ${volume.snapshotId} to ${region} (account ${accountId}): ${why.cause}`,
          ...(item?.copySnapshotId ? { snapshotId: item.copySnapshotId } : {}),
          copyDestination: key,
        });
        const state = item?.copySnapshotId && item.state === 'copying' ? 'pending' : 'failed';
        return { region, accountId, snapshotId: item?.copySnapshotId ?? null, state };
      });
      return { ...volume, copies };
    }),
  }));
  return {
    ...report,
    manifest,
    failures: [...report.failures, ...failures],
    summary: {
      ...report.summary,
      failed: report.summary.failed + failures.length,
      copies: {
        destinations: outcomes.length,
        completed,
        failed: failures.length,
        ...(outcomes.some((o) => o.retention) ? { deleted: sum(outcomes, (o) => o.retention?.deleted ?? 0) } : {}),
      },
    },
  };
}

function sum<T>(list: readonly T[], of: (item: T) => number): number {
  return list.reduce((total, item) => total + of(item), 0);
}

/** Why a copy is not usable: its own failure, else the destination's, else that it never completed. */
function reasonOf(item: CopyItem | undefined, failure: StatesError | undefined): { error: string; cause: string } {
  if (item?.state === 'failed') return { error: item.error ?? COPY_NOT_COMPLETED, cause: item.cause ?? '' };
  if (failure) {
    return { error: COPY_DESTINATION_FAILED, cause: `${failure.Error}: ${readableCause(failure.Cause ?? '')}` };
  }
  return { error: COPY_NOT_COMPLETED, cause: item ? `still ${item.state}` : 'never planned' };
}

/** Which volumes have a usable copy in each destination: one column per destination, one row per volume. */
export interface CopiesTable {
  /** `<region> <account>`, one per destination, in the input's order. */
  destinations: string[];
  rows: Array<{ gatewayId: string; volumeId: string; cells: string[]; failed: boolean }>;
}

/**
 * The copies of a report's manifest as a table for people: a usable copy shows its ID, any other says `MISSING` and
 * its state; `undefined` when the run made no copies. Pure.
 */
export function copiesTable(manifest: ExecutionReport['manifest']): CopiesTable | undefined {
  const first = manifest.flatMap((g) => g.volumes).find((v) => v.copies?.length);
  if (!first?.copies) return undefined;
  const destinations = first.copies.map((c) => `${c.region} ${c.accountId}`);
  const rows = manifest.flatMap((gateway) =>
    gateway.volumes.flatMap((volume) => {
      if (!volume.copies) return [];
      const cells = volume.copies.map((c) =>
        c.state === 'completed' && c.snapshotId
          ? c.snapshotId
          : `MISSING (${c.snapshotId ? `${c.snapshotId} ` : ''}${c.state})`,
      );
      return [
        {
          gatewayId: volumeIdOf(gateway.gatewayArn),
          volumeId: volumeIdOf(volume.volumeArn),
          cells,
          failed: cells.some((c) => c.startsWith('MISSING')),
        },
      ];
    }),
  );
  return { destinations, rows };
}
