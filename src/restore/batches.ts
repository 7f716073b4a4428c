import { MAX_HISTORY_EVENTS, restoreHistoryEvents } from './limits.ts';

/**
 * The most volumes one batch (one child execution of the restore's Distributed Map) holds, whatever its history
 * allows: its items and their outcomes (about 2 KB each, the options and execution with every one) stay far under
 * the 256 KiB a state may hold.
 */
export const MAX_BATCH_VOLUMES = 50;

/** How a restore's volumes are cut into batches, and how many run at once. */
export interface BatchPlan {
  /** The volumes of each batch, in the plan's order. */
  sizes: number[];
  /** Child executions at once (the Distributed Map's `MaxConcurrency`). */
  batchConcurrency: number;
  /** Volumes at once within one child (its inline Map's `MaxConcurrency`). */
  volumeConcurrency: number;
}

/**
 * The most volumes one child execution can wait for without outgrowing its 25,000 history events, at most
 * {@link MAX_BATCH_VOLUMES}; 0 when not even one volume can.
 */
export function volumesPerBatch(waitTimeoutMinutes: number, checkIntervalSeconds: number): number {
  let volumes = MAX_BATCH_VOLUMES;
  while (volumes > 0 && restoreHistoryEvents(volumes, waitTimeoutMinutes, checkIntervalSeconds) > MAX_HISTORY_EVENTS)
    volumes -= 1;
  return volumes;
}

/**
 * Cuts `volumes` volumes into as few batches as the history allows (`perBatch` each at most), of even sizes, and
 * shares `maxConcurrency` between the batches and the volumes within each: never more than `maxConcurrency`
 * volumes at once in all. Pure.
 */
export function planBatches(volumes: number, perBatch: number, maxConcurrency: number): BatchPlan {
  if (volumes === 0 || perBatch < 1) return { sizes: [], batchConcurrency: 1, volumeConcurrency: 1 };
  const count = Math.ceil(volumes / perBatch);
  const sizes = Array.from(
    { length: count },
    (_, index) => Math.floor(volumes / count) + (index < volumes % count ? 1 : 0),
  );
  const batchConcurrency = Math.max(1, Math.min(count, maxConcurrency));
  return { sizes, batchConcurrency, volumeConcurrency: Math.max(1, Math.floor(maxConcurrency / batchConcurrency)) };
}
