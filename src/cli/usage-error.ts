import { SgwSnapshotError } from '../errors.ts';

/** The command line itself is wrong: exit code 2, and the message says what to fix. */
export class UsageError extends SgwSnapshotError {
  override readonly name = 'UsageError';
}
