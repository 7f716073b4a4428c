import { NoSuchKey } from '@aws-sdk/client-s3';
import { COPIES_NOT_PLANNED, COPIES_NOT_RUN } from '../errors.ts';
import type { EvidenceStore } from '../evidence/store.ts';
import { scopeOfExecutionArn } from '../input/execution-scope.ts';
import type { ExecutionOptions } from '../input/schema.ts';
import type { StatesError } from '../workflow/types.ts';
import { copyBooks } from './evidence.ts';
import { destinationRef } from './plan.ts';
import type { CopyOutcome } from './report.ts';

/** What the state machine hands `Summarise` of the copies: a failed planning, or each destination's last word. */
export interface CopiesState {
  /** `PlanCopies` failed for good: no destination has a book. */
  copyFailure?: StatesError;
  /** The copy loops' Map failed as a whole. */
  copyMapFailure?: StatesError;
  /** The copy loops' outputs, one per destination: its key and, when its rounds stopped for good, why. */
  copyResults?: Array<{ key: string; failure?: StatesError }>;
}

/**
 * How each destination the input names ended: its book from the evidence, and the failure that stopped it. A
 * destination without a book (the planning failed, or never ran) has no items: every volume's copy there failed.
 */
export async function copyOutcomesOf(
  store: EvidenceStore,
  bucket: string,
  execution: { id: string },
  options: Pick<ExecutionOptions, 'copies'>,
  state: CopiesState,
): Promise<CopyOutcome[]> {
  const ownAccountId = scopeOfExecutionArn(execution.id)?.account ?? '';
  const books = copyBooks(store, bucket, execution.id);
  return Promise.all(
    options.copies.map(async (copy) => {
      const destination = destinationRef(copy, ownAccountId);
      const stopped = state.copyResults?.find((r) => r.key === destination.key)?.failure;
      const failure = stopped ?? state.copyFailure ?? state.copyMapFailure ?? notRun(state);
      try {
        const { items, retention } = await books.read(destination.key);
        return { destination, items, ...(failure ? { failure } : {}), ...(retention ? { retention } : {}) };
      } catch (error) {
        if (!(error instanceof NoSuchKey)) throw error;
        return {
          destination,
          failure: failure ?? { Error: COPIES_NOT_PLANNED, Cause: 'no book of copies was written' },
        };
      }
    }),
  );
}

// Copies that never ran (the execution reached `Summarise` without them): said so, never a silent gap.
function notRun(state: CopiesState): StatesError | undefined {
  return state.copyResults ? undefined : { Error: COPIES_NOT_RUN, Cause: 'the copy loops did not run' };
}
