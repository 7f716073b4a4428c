import { createRestoreCheckHandler } from '../../functions/restore-check/handler.ts';
import { createRestoreCleanupHandler } from '../../functions/restore-cleanup/handler.ts';
import { createRestoreCreateHandler } from '../../functions/restore-create/handler.ts';
import { createRestoreLoadBatchHandler } from '../../functions/restore-load-batch/handler.ts';
import { createRestorePlanHandler } from '../../functions/restore-plan/handler.ts';
import { createRestoreRecordBatchHandler } from '../../functions/restore-record-batch/handler.ts';
import {
  createRestoreSummariseHandler,
  type RestoreSummariseResult,
} from '../../functions/restore-summarise/handler.ts';
import { RESTORE_FAILED } from '../errors.ts';
import { readableCause } from '../report/cause.ts';
import { volumeIdOf } from '../report/gateway-report.ts';
import type { RestoreDigest } from '../restore/report.ts';
import type {
  RestoreBatchTask,
  RestoreItem,
  RestoreOutcome,
  RestorePlan,
  RestoreSummariseRequest,
  RestoreTask,
  VolumeCheck,
} from '../restore/types.ts';
import type { StateReader, WorkflowDescriptor } from './descriptor.ts';

/** The states of `statemachines/restore.asl.json`: the only place their names are written. */
export const RestoreState = {
  PlanRestore: 'PlanRestore',
  ReadyToRestore: 'ReadyToRestore',
  RestoreVolumes: 'RestoreVolumes',
  LoadRestoreBatch: 'LoadRestoreBatch',
  RestoreBatchVolumes: 'RestoreBatchVolumes',
  RecordRestoreBatch: 'RecordRestoreBatch',
  CreateRestoredVolume: 'CreateRestoredVolume',
  WaitForVolume: 'WaitForVolume',
  CheckRestoredVolume: 'CheckRestoredVolume',
  VolumeUsable: 'VolumeUsable',
  CleanUpAfterTest: 'CleanUpAfterTest',
  DeleteRestoredVolume: 'DeleteRestoredVolume',
  VolumeDone: 'VolumeDone',
  SummariseRestore: 'SummariseRestore',
  AnyRestoreFailed: 'AnyRestoreFailed',
  RestoreFailed: 'RestoreFailed',
  RestoreDone: 'RestoreDone',
} as const;

/** What a restore has done so far, as a person watching it wants to know. */
export interface RestoreCounts {
  planned: number;
  requested: number;
  usable: number;
  failed: number;
  deleted: number;
  retries: number;
}

interface RestoreStateOutputs {
  [RestoreState.PlanRestore]: RestorePlan;
  [RestoreState.CreateRestoredVolume]: RestoreOutcome;
  [RestoreState.CheckRestoredVolume]: RestoreOutcome;
  [RestoreState.DeleteRestoredVolume]: RestoreOutcome;
}

const STATE_READERS: { [S in keyof RestoreStateOutputs]: StateReader<RestoreCounts, RestoreStateOutputs[S]> } = {
  [RestoreState.PlanRestore]: {
    countExit(counts, output) {
      counts.planned += output?.volumes ?? 0;
    },
    tellExit(output) {
      const batches = output?.batches.length ?? 0;
      const head =
        `${output?.volumes ?? 0} volumes to restore` +
        (batches > 1 ? ` in ${batches} batches` : '') +
        `, ${output?.notRestorable ?? 0} not restorable`;
      const problems = output?.preflight.problems ?? [];
      const count = output?.preflight.problemCount ?? problems.length;
      if (!count) return `${head}; preflight passed`;
      const more = count > problems.length ? `; and ${count - problems.length} more in the report` : '';
      return `${head}; preflight found ${count} problem(s): ${problems.map((p) => `${idOf(p.subject)}: ${p.message}`).join('; ')}${more}`;
    },
  },
  [RestoreState.CreateRestoredVolume]: {
    countExit(counts) {
      counts.requested += 1;
    },
    countFailOver(counts) {
      counts.failed += 1;
    },
    tellExit(output) {
      const made = output?.created?.status === 'existing' ? 'found' : 'creating';
      return `${made} ${idOf(output?.created?.volumeId)} from ${String(output?.item.snapshotId)} (${sourceOf(output?.item)})`;
    },
    tellFailOver(output, error) {
      return `FAILED ${sourceOf(output?.item)}: ${error}: ${readableCause(output?.failure?.Cause ?? '', 200)}`;
    },
    gatewayNames(output) {
      const item = output?.item;
      return item?.sourceGatewayName ? [[item.sourceGatewayArn, item.sourceGatewayName]] : [];
    },
  },
  [RestoreState.CheckRestoredVolume]: {
    countExit(counts, output) {
      if ((output?.check as VolumeCheck | undefined)?.phase === 'usable') counts.usable += 1;
    },
    countFailOver(counts) {
      counts.failed += 1;
    },
    tellExit(output) {
      const check = output?.check;
      if (check?.phase !== 'usable') return undefined;
      return `usable ${idOf(output?.created?.volumeId)} (${check.status}) after ${((check.rtoMs ?? 0) / 1000).toFixed(1)} s`;
    },
    tellFailOver(output, error) {
      return `FAILED ${idOf(output?.created?.volumeId)}: ${error}: ${readableCause(output?.failure?.Cause ?? '', 200)}`;
    },
  },
  [RestoreState.DeleteRestoredVolume]: {
    countExit(counts) {
      counts.deleted += 1;
    },
    tellExit(output) {
      return `deleted ${idOf(output?.cleanup?.deleted)} (restore test)`;
    },
    tellFailOver(output, error) {
      return `NOT DELETED ${idOf(output?.created?.volumeId)}: ${error}: ${readableCause(output?.cleanupFailure?.Cause ?? '', 200)}`;
    },
  },
};

/**
 * The restore workflow: plan and preflight, create each volume once on the DR gateway or in EBS, wait until
 * usable, record the RTO, delete what a test made, report; fails with `RestoreFailed` when anything failed.
 */
export const restoreWorkflow: WorkflowDescriptor<RestoreCounts, RestoreDigest> = {
  definitionUrl: new URL('../../statemachines/restore.asl.json', import.meta.url),
  defaultStateMachineName: 'sgw-recovery-restore',
  handlers: {
    restorePlan: createRestorePlanHandler,
    restoreLoadBatch: createRestoreLoadBatchHandler,
    restoreCreate: createRestoreCreateHandler,
    restoreCheck: createRestoreCheckHandler,
    restoreCleanup: createRestoreCleanupHandler,
    restoreRecordBatch: createRestoreRecordBatchHandler,
    restoreSummarise: createRestoreSummariseHandler,
  },
  stateNames: Object.values(RestoreState),
  failState: { name: RestoreState.RestoreFailed, error: RESTORE_FAILED },
  caughtErrorKeys: ['failure', 'cleanupFailure', 'mapFailure'] satisfies Array<
    keyof RestoreOutcome | keyof RestoreSummariseRequest
  >,
  states: STATE_READERS,
  initialCounts: () => ({ planned: 0, requested: 0, usable: 0, failed: 0, deleted: 0, retries: 0 }),
  progressLine: (c) =>
    `volumes ${c.planned} · requested ${c.requested} · usable ${c.usable} · failed ${c.failed} · deleted ${c.deleted} · retries ${c.retries}`,
  mapItemLabel: (input) => {
    const batch = (input as Partial<RestoreBatchTask> | undefined)?.batch;
    return `batch ${batch?.index ?? '?'} (${batch?.volumes ?? '?'} volumes)`;
  },
  progressFigures: (c) => ({
    unit: 'volumes',
    total: c.planned || undefined,
    done: c.usable + c.failed,
    failed: c.failed,
  }),
  reconcile(counts, digest) {
    const { summary } = digest;
    const live = [counts.usable, counts.failed, counts.deleted];
    counts.usable = summary.restored;
    counts.failed = summary.failed;
    counts.deleted = summary.cleanedUp;
    return live.join() !== [summary.restored, summary.failed, summary.cleanedUp].join();
  },
  subjectOf(input) {
    const item = (input as Partial<RestoreTask> | undefined)?.item;
    return typeof item?.sourceVolumeArn === 'string' ? `volume ${sourceOf(item)}` : undefined;
  },
  reportOf(execution) {
    if (execution.status === 'SUCCEEDED') return execution.output as RestoreDigest;
    if (execution.error !== RESTORE_FAILED) return undefined;
    const digest = (execution.failStateInput as Partial<RestoreSummariseResult> | undefined)?.digest;
    if (digest) return digest;
    return execution.cause ? (JSON.parse(execution.cause) as RestoreDigest) : undefined;
  },
};

/** `vol-1122AABB on sgw-12A3456B`: the source volume and its gateway, whose name the progress puts beside it. */
function sourceOf(item: Partial<RestoreItem> | undefined): string {
  const gateway = typeof item?.sourceGatewayArn === 'string' ? ` on ${idOf(item.sourceGatewayArn)}` : '';
  return `${idOf(item?.sourceVolumeArn)}${gateway}`;
}

function idOf(arn: string | undefined): string {
  return typeof arn === 'string' ? volumeIdOf(arn) : '?';
}
