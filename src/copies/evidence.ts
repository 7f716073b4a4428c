import { InvalidEvidenceError } from '../errors.ts';
import { executionPrefix, executionRefFromArn } from '../evidence/keys.ts';
import type { EvidenceLocation } from '../evidence/location.ts';
import type { EvidenceStore } from '../evidence/store.ts';
import type { CopyBook } from './types.ts';

/** The folder of the copies' books, relative to the execution's prefix. */
export const COPIES_FOLDER = 'copies/';

/** The copies' books of one execution, as the copy steps and `Summarise` read and write them. */
export interface CopyBooks {
  read(key: string): Promise<CopyBook>;
  write(book: CopyBook): Promise<void>;
}

/** The books of the execution `executionArn` (a standard execution's) in `bucket`. */
export function copyBooks(store: EvidenceStore, bucket: string, executionArn: string): CopyBooks {
  const ref = executionRefFromArn(executionArn);
  if (!ref) throw new InvalidEvidenceError(`${executionArn} is not the ARN of a standard execution`);
  const locationOf = (key: string): EvidenceLocation => {
    if (!/^[a-z0-9-]+\.\d{12}$/.test(key)) throw new RangeError(`${JSON.stringify(key)} is not a copy destination`);
    return { bucket, key: `${executionPrefix(ref)}${COPIES_FOLDER}${key}.json` };
  };
  return {
    async read(key) {
      const book = (await store.getJson(locationOf(key))) as Partial<CopyBook> | null;
      if (book?.destination?.key !== key || !Array.isArray(book.items)) {
        throw new InvalidEvidenceError(`the copies' book of ${key} is not one`);
      }
      return book as CopyBook;
    },
    async write(book) {
      await store.putJson(locationOf(book.destination.key), book);
    },
  };
}
