import { createApplyRetentionHandler } from '../../functions/apply-retention/handler.ts';
import { type CheckSnapshotsResult, createCheckSnapshotsHandler } from '../../functions/check-snapshots/handler.ts';
import { createCopyPlanHandler } from '../../functions/copy-plan/handler.ts';
import { createCopyRoundHandler } from '../../functions/copy-round/handler.ts';
import { createCreateSnapshotHandler } from '../../functions/create-snapshot/handler.ts';
import { createListRecoveryPointsHandler } from '../../functions/list-recovery-points/handler.ts';
import { createPlanHandler } from '../../functions/plan/handler.ts';
import {
  createSummariseHandler,
  type SummariseRequest,
  type SummariseResult,
} from '../../functions/summarise/handler.ts';
import { createSummariseGatewayHandler } from '../../functions/summarise-gateway/handler.ts';
import type { CopyIteration, CopyRoundResult } from '../copies/types.ts';
import { SNAPSHOTS_FAILED } from '../errors.ts';
import { readableCause } from '../report/cause.ts';
import type { ReportDigest } from '../report/execution-report.ts';
import { volumeIdOf } from '../report/gateway-report.ts';
import type { StateReader, WorkflowDescriptor } from './descriptor.ts';
import type { GatewayIteration, GatewayTask, PlanResult, SnapshotOutcome, VolumeFailure } from './types.ts';

/** The states of `statemachines/snapshot-from-recovery-points.asl.json`: the only place their names are written. */
export const SnapshotState = {
  Plan: 'Plan',
  SnapshotGateways: 'SnapshotGateways',
  ListRecoveryPoints: 'ListRecoveryPoints',
  AnythingToCreate: 'AnythingToCreate',
  CreateSnapshots: 'CreateSnapshots',
  CreateSnapshot: 'CreateSnapshot',
  VolumeFailed: 'VolumeFailed',
  // Retention (issue 12)
  RetentionWanted: 'RetentionWanted',
  ApplyRetention: 'ApplyRetention',
  MoreRetention: 'MoreRetention',
  WaitBeforeRetention: 'WaitBeforeRetention',
  SummariseGateway: 'SummariseGateway',
  WaitForCompletion: 'WaitForCompletion',
  CheckSnapshots: 'CheckSnapshots',
  SnapshotsPending: 'SnapshotsPending',
  WaitBeforeCheck: 'WaitBeforeCheck',
  // Copies (issue 13)
  CopiesWanted: 'CopiesWanted',
  PlanCopies: 'PlanCopies',
  CopyDestinations: 'CopyDestinations',
  CopyRound: 'CopyRound',
  CopiesDone: 'CopiesDone',
  WaitBeforeCopyRound: 'WaitBeforeCopyRound',
  CopyDestinationDone: 'CopyDestinationDone',
  CopyDestinationFailed: 'CopyDestinationFailed',
  Summarise: 'Summarise',
  AnyFailed: 'AnyFailed',
  SnapshotsFailed: 'SnapshotsFailed',
  Done: 'Done',
} as const;
/** The name of a state of the snapshot workflow. */
export type SnapshotStateName = (typeof SnapshotState)[keyof typeof SnapshotState];

/** What a snapshot run has done so far, as a person watching it wants to know. */
export interface SnapshotCounts {
  /** Gateways in scope, once `Plan` has found them. */
  gatewaysTotal: number | undefined;
  /** A dry run creates nothing: a volume is done once its gateway is listed. */
  dryRun?: boolean;
  gatewaysListed: number;
  /** Volumes found to work on: selected for a snapshot, or failed at listing (a gateway that failed counts one). */
  volumes: number;
  created: number;
  existing: number;
  failed: number;
  skipped: number;
  retries: number;
  /** How the wait for completion stands, once it has polled. */
  completion?: { completed: number; pending: number; oldestPendingProgress?: number };
}

/**
 * The output each read state leaves with: the ASL's `ResultPath`s put the listing under `listed` (or its
 * caught failure under `listFailure`), and `VolumeFailed` passes on a `VolumeFailure`.
 */
interface SnapshotStateOutputs {
  [SnapshotState.Plan]: PlanResult;
  [SnapshotState.ListRecoveryPoints]: GatewayIteration;
  [SnapshotState.CheckSnapshots]: { completion?: CheckSnapshotsResult };
  [SnapshotState.CreateSnapshot]: SnapshotOutcome;
  [SnapshotState.VolumeFailed]: VolumeFailure;
  [SnapshotState.ApplyRetention]: GatewayIteration;
  [SnapshotState.CopyRound]: { round?: CopyRoundResult; destination?: { key: string } };
}

const STATE_READERS: { [S in keyof SnapshotStateOutputs]: StateReader<SnapshotCounts, SnapshotStateOutputs[S]> } = {
  [SnapshotState.Plan]: {
    countExit(counts, output) {
      counts.gatewaysTotal = output?.gatewayArns.length;
      if (output?.options.dryRun) counts.dryRun = true;
    },
  },
  [SnapshotState.ListRecoveryPoints]: {
    countExit(counts, output) {
      counts.gatewaysListed += 1;
      counts.volumes += (output?.listed?.selected.length ?? 0) + (output?.listed?.failures.length ?? 0);
      counts.skipped += output?.listed?.skipped.length ?? 0;
      counts.failed += output?.listed?.failures.length ?? 0;
    },
    // A gateway whose listing failed for good is one failure; a volume's is counted at `VolumeFailed`.
    countFailOver(counts) {
      counts.gatewaysListed += 1;
      counts.volumes += 1;
      counts.failed += 1;
    },
    tellExit(output) {
      const listed = output?.listed;
      const reasons = new Map<string, number>();
      for (const { reason } of listed?.skipped ?? []) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      const why = reasons.size ? ` (${[...reasons].map(([reason, n]) => `${reason} ${n}`).join(', ')})` : '';
      return (
        `gateway ${idOf(output?.gatewayArn)}: ${listed?.recoveryPoints ?? 0} recovery points, ` +
        `${listed?.selected.length ?? 0} to snapshot, ${listed?.skipped.length ?? 0} skipped${why}`
      );
    },
    tellFailOver(output, error) {
      return `gateway ${idOf(output?.gatewayArn)}: could not list recovery points: ${error}`;
    },
    gatewayNames(output) {
      const name = output?.listed?.gatewayName;
      return output?.gatewayArn && name ? [[output.gatewayArn, name]] : [];
    },
  },
  [SnapshotState.CreateSnapshot]: {
    countExit(counts, output) {
      if (output?.status === 'existing') counts.existing += 1;
      else counts.created += 1;
    },
    tellExit(output) {
      const status = output?.status === 'existing' ? 'already snapshotted' : 'snapshot';
      return `${status} ${String(output?.snapshotId)} of ${volumeOnGateway(output?.volumeArn)} (recovery point ${String(output?.recoveryPointTime)})`;
    },
  },
  [SnapshotState.ApplyRetention]: {
    tellExit(output) {
      const progress = output?.retention;
      const done = progress?.done ? '' : progress?.throttled ? ', throttled: waiting' : ', going on';
      const count = output?.options.dryRun ? 'would delete' : `deleted ${progress?.cursor ?? 0} of`;
      return `gateway ${idOf(output?.gatewayArn)}: retention ${count} ${progress?.planned ?? 0} snapshots${done}`;
    },
    tellFailOver(output, error) {
      return `gateway ${idOf(output?.gatewayArn)}: retention stopped: ${error}`;
    },
  },
  [SnapshotState.VolumeFailed]: {
    failure: true,
    countExit(counts) {
      counts.failed += 1;
    },
    tellExit(output) {
      const failure = output?.failure;
      return `FAILED ${volumeOnGateway(output?.volumeArn)}: ${String(failure?.Error)}: ${readableCause(failure?.Cause ?? '', 200)}`;
    },
  },
  // Copies (issue 13): one line per round of a destination.
  [SnapshotState.CopyRound]: {
    tellExit(output) {
      const r = output?.round;
      if (!r) return undefined;
      const limit = r.limited ? ', at the concurrent-copy limit' : '';
      return (
        `copies to ${r.key}: ${r.completed} completed, ${r.copying} in flight, ${r.ready + r.waiting} to start, ` +
        `${r.failed} failed (${r.started} started this round${limit})`
      );
    },
    tellFailOver(output, error) {
      return `copies to ${output?.destination?.key ?? '?'} stopped: ${error}`;
    },
  },
  // A snapshot that ends in `error` (or is still pending at the time-out) was counted as made: it moves to failed.
  [SnapshotState.CheckSnapshots]: {
    // It tells a line only of snapshots that failed.
    failure: true,
    countExit(counts, output) {
      const check = output?.completion;
      if (!check) return;
      const failed = check.failed ?? { created: 0, existing: 0 };
      counts.created -= failed.created;
      counts.existing -= failed.existing;
      counts.failed += failed.created + failed.existing;
      counts.completion = {
        completed: check.completed ?? 0,
        pending: check.pending,
        ...(check.oldestPendingProgress === undefined ? {} : { oldestPendingProgress: check.oldestPendingProgress }),
      };
    },
    tellExit(output) {
      const failed = output?.completion?.failed;
      const count = (failed?.created ?? 0) + (failed?.existing ?? 0);
      return count
        ? `FAILED ${count} snapshot${count === 1 ? '' : 's'} ended in error or did not complete in time`
        : undefined;
    },
  },
};

/**
 * The snapshot workflow: plan, list and filter each gateway's recovery points, create the selected
 * snapshots, optionally wait for them, report; fails with `SnapshotsFailed` when any volume failed.
 */
export const snapshotWorkflow: WorkflowDescriptor<SnapshotCounts, ReportDigest> = {
  definitionUrl: new URL('../../statemachines/snapshot-from-recovery-points.asl.json', import.meta.url),
  defaultStateMachineName: 'sgw-recovery-snapshots',
  handlers: {
    plan: createPlanHandler,
    listRecoveryPoints: createListRecoveryPointsHandler,
    createSnapshot: createCreateSnapshotHandler,
    applyRetention: createApplyRetentionHandler,
    summariseGateway: createSummariseGatewayHandler,
    checkSnapshots: createCheckSnapshotsHandler,
    summarise: createSummariseHandler,
    // Copies (issue 13)
    copyPlan: createCopyPlanHandler,
    copyRound: createCopyRoundHandler,
  },
  stateNames: Object.values(SnapshotState),
  // The ASL names the Fail state after the error it ends the execution with.
  failState: { name: SnapshotState.SnapshotsFailed, error: SNAPSHOTS_FAILED },
  caughtErrorKeys: [
    'failure',
    'listFailure',
    'mapFailure',
    'waitFailure',
    'retentionFailure',
    // Copies (issue 13)
    'copyFailure',
    'copyMapFailure',
    'roundFailure',
  ] satisfies Array<keyof VolumeFailure | keyof GatewayIteration | keyof SummariseRequest | keyof CopyIteration>,
  states: STATE_READERS,
  initialCounts: () => ({
    gatewaysTotal: undefined,
    gatewaysListed: 0,
    volumes: 0,
    created: 0,
    existing: 0,
    failed: 0,
    skipped: 0,
    retries: 0,
  }),
  progressLine: (c) =>
    `gateways ${c.gatewaysListed} · created ${c.created} · existing ${c.existing} · skipped ${c.skipped} · failed ${c.failed} · retries ${c.retries}`,
  mapItemLabel: (input) => `gateway ${idOf((input as Partial<GatewayTask> | undefined)?.gatewayArn)}`,
  progressFigures(c) {
    const listedAll = c.gatewaysTotal !== undefined && c.gatewaysListed >= c.gatewaysTotal;
    const wait = c.completion;
    const pendingAt =
      wait?.oldestPendingProgress === undefined ? '' : `, oldest pending ${wait.oldestPendingProgress} %`;
    return {
      unit: 'volumes',
      total: listedAll ? c.volumes : undefined,
      done: c.dryRun ? c.volumes : c.created + c.existing + c.failed,
      failed: c.failed,
      ...(wait?.pending
        ? { waiting: `${wait.completed} of ${wait.completed + wait.pending} snapshots complete${pendingAt}` }
        : {}),
    };
  },
  reconcile(counts, digest) {
    const { summary } = digest;
    const live = [counts.created, counts.existing, counts.skipped, counts.failed];
    counts.created = summary.created;
    counts.existing = summary.existing;
    counts.skipped = summary.skipped;
    counts.failed = summary.failed;
    return live.join() !== [summary.created, summary.existing, summary.skipped, summary.failed].join();
  },
  subjectOf(input) {
    const item = input as { volumeArn?: unknown; gatewayArn?: unknown } | undefined;
    if (typeof item?.volumeArn === 'string') return volumeOnGateway(item.volumeArn);
    if (typeof item?.gatewayArn === 'string') return `gateway ${idOf(item.gatewayArn)}`;
    return undefined;
  },
  reportOf(execution) {
    if (execution.status === 'SUCCEEDED') return execution.output as ReportDigest;
    if (execution.error !== SNAPSHOTS_FAILED) return undefined;
    // The Fail state's input is `Summarise`'s output; its cause is the same digest, as JSON.
    const digest = (execution.failStateInput as Partial<SummariseResult> | undefined)?.digest;
    if (digest) return digest;
    return execution.cause ? (JSON.parse(execution.cause) as ReportDigest) : undefined;
  },
};

/** `vol-1122AABB on sgw-12A3456B`: the progress puts the gateway's name beside its ID once it is known. */
function volumeOnGateway(volumeArn: string | undefined): string {
  return typeof volumeArn === 'string' ? `${idOf(volumeArn)} on ${gatewayIdOf(volumeArn)}` : '?';
}

function gatewayIdOf(volumeArn: string): string {
  return /gateway\/([^/]+)/.exec(volumeArn)?.[1] ?? '?';
}

function idOf(arn: string | undefined): string {
  return typeof arn === 'string' ? volumeIdOf(arn) : '?';
}
