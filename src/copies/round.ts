import { COPY_ERROR, COPY_NOT_COMPLETED, COPY_SOURCE_FAILED } from '../errors.ts';
import { FAILED_SNAPSHOT_STATE } from '../snapshot/state.ts';
import { COPYABLE_STATE } from './plan.ts';
import type { CopyBook, CopyItem, CopyRoundResult } from './types.ts';

/** What EC2 said this round: the states of the sources and of the copies asked about. A snapshot not shown is absent. */
export interface RoundFacts {
  /** Source snapshot ID → EC2 state, in the source Region. */
  sources: ReadonlyMap<string, string>;
  /** Copy snapshot ID → EC2 state, in the destination. */
  copies: ReadonlyMap<string, string>;
  /** Copy snapshot ID → EC2's `StateMessage` of a copy in `error`: why it failed (a key it may not use). */
  messages?: ReadonlyMap<string, string>;
}

/** The source snapshots a round asks the source Region about. */
export function sourcesToCheck(book: CopyBook): string[] {
  return book.items.filter((i) => i.state === 'waiting-source').map((i) => i.sourceSnapshotId);
}

/** The copies in flight a round asks the destination about. */
export function copiesToCheck(book: CopyBook): string[] {
  return book.items.flatMap((i) => (i.state === 'copying' && i.copySnapshotId ? [i.copySnapshotId] : []));
}

/**
 * Brings the items up to date with `facts`: a completed source becomes `ready`, a failed one `failed`; a copy in
 * flight becomes `completed` or `failed`. A snapshot EC2 does not show (yet) keeps its item as it was: a copy made
 * moments ago is not shown at once (EC2's eventual consistency). Past `timeoutAt`, what is not settled fails.
 */
export function settle(items: readonly CopyItem[], facts: RoundFacts, now: number, timeoutAt: number): CopyItem[] {
  return items.map((item) => {
    if (item.state === 'waiting-source') {
      const state = facts.sources.get(item.sourceSnapshotId);
      if (state === COPYABLE_STATE) return { ...item, state: 'ready' };
      if (state === FAILED_SNAPSHOT_STATE) {
        return failed(item, COPY_SOURCE_FAILED, `source snapshot ${item.sourceSnapshotId} ended in error`);
      }
    }
    if (item.state === 'copying' && item.copySnapshotId) {
      const state = facts.copies.get(item.copySnapshotId);
      if (state === COPYABLE_STATE) return { ...item, state: 'completed' };
      if (state === FAILED_SNAPSHOT_STATE) {
        const message = facts.messages?.get(item.copySnapshotId);
        return failed(item, COPY_ERROR, `copy ${item.copySnapshotId} ended in error${message ? `: ${message}` : ''}`);
      }
    }
    if (now >= timeoutAt && (item.state === 'waiting-source' || item.state === 'ready' || item.state === 'copying')) {
      const what =
        item.state === 'copying'
          ? `copy ${item.copySnapshotId} still pending`
          : item.state === 'ready'
            ? 'no free copy slot'
            : `source snapshot ${item.sourceSnapshotId} not completed`;
      return failed(item, COPY_NOT_COMPLETED, `${what} when the copies' time-out passed`);
    }
    return item;
  });
}

/** The `ready` items a round may start: as many as `limit` leaves beside the copies in flight, in book order. */
export function itemsToStart(items: readonly CopyItem[], limit: number): CopyItem[] {
  const inFlight = items.filter((i) => i.state === 'copying').length;
  return items.filter((i) => i.state === 'ready').slice(0, Math.max(0, limit - inFlight));
}

/** The round's figures; the destination is done when no item is left to wait for, start or watch. */
export function roundResult(book: CopyBook, started: number, limited: boolean): CopyRoundResult {
  const count = (state: CopyItem['state']) => book.items.filter((i) => i.state === state).length;
  const result = {
    key: book.destination.key,
    waiting: count('waiting-source'),
    ready: count('ready'),
    copying: count('copying'),
    completed: count('completed'),
    failed: count('failed'),
    started,
    limited,
  };
  // Retention of the destination's copies runs once they are settled, in batches of its own rounds.
  const retention = book.retention;
  const retentionLeft =
    book.destination.retention !== undefined && (!retention || retention.cursor < retention.deletions.length);
  return { ...result, done: result.waiting + result.ready + result.copying === 0 && !retentionLeft };
}

function failed(item: CopyItem, error: string, cause: string): CopyItem {
  return { ...item, state: 'failed', error, cause };
}
