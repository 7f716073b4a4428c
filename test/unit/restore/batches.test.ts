import { MAX_BATCH_VOLUMES, planBatches, volumesPerBatch } from '../../../src/restore/batches.ts';
import { MAX_HISTORY_EVENTS, restoreHistoryEvents } from '../../../src/restore/limits.ts';

describe('restore batches', () => {
  it('fits as many volumes in a batch as its history holds at the polling asked for, at most MAX_BATCH_VOLUMES', () => {
    const atDefaults = volumesPerBatch(60, 60);
    expect(atDefaults).toBe(43);
    expect(restoreHistoryEvents(atDefaults, 60, 60)).toBeLessThanOrEqual(MAX_HISTORY_EVENTS);
    expect(restoreHistoryEvents(atDefaults + 1, 60, 60)).toBeGreaterThan(MAX_HISTORY_EVENTS);
    expect(volumesPerBatch(5, 3600)).toBe(MAX_BATCH_VOLUMES);
    expect(volumesPerBatch(24 * 60, 1)).toBe(0);
  });

  it('cuts the volumes into even batches and never runs more than maxConcurrency volumes at once', () => {
    expect(planBatches(3_200, 43, 10)).toEqual({
      sizes: expect.any(Array),
      batchConcurrency: 10,
      volumeConcurrency: 1,
    });
    const { sizes } = planBatches(3_200, 43, 10);
    expect(sizes).toHaveLength(75);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3_200);
    expect(planBatches(11, 43, 10)).toEqual({ sizes: [11], batchConcurrency: 1, volumeConcurrency: 10 });
    expect(planBatches(100, 43, 40)).toEqual({ sizes: [34, 33, 33], batchConcurrency: 3, volumeConcurrency: 13 });
    expect(planBatches(0, 43, 10)).toEqual({ sizes: [], batchConcurrency: 1, volumeConcurrency: 1 });
  });
});
