import type { CopyDestination } from '../input/schema.ts';

/**
 * Where one volume's copy to one destination stands:
 * - `waiting-source`: its source snapshot is not `completed` yet (CopySnapshot needs a completed source);
 * - `ready`: to be copied when the destination has a free slot;
 * - `copying`: a copy exists (made now or found) and is `pending`;
 * - `completed`: the copy is usable;
 * - `failed`: it ended in `error`, timed out, or EC2 refused it for good; `error` and `cause` say why.
 */
export type CopyItemState = 'waiting-source' | 'ready' | 'copying' | 'completed' | 'failed';

/** One (volume, destination) pair: the volume's snapshot in the manifest and its copy in the destination. */
export interface CopyItem {
  gatewayArn: string;
  volumeArn: string;
  recoveryPointTime: string;
  sourceSnapshotId: string;
  state: CopyItemState;
  copySnapshotId?: string;
  /** `created`: this run made the copy; `existing`: an earlier attempt or run had. */
  status?: 'created' | 'existing';
  error?: string;
  cause?: string;
}

/** A destination as the state machine carries it: small and fixed, its work is in its book (S3). */
export interface DestinationRef {
  /** `<region>.<accountId>`: the name of its book. */
  key: string;
  region: string;
  /** The destination account, the execution's own when the input names none. */
  accountId: string;
  /** Whether the copies are made in another account, through its copy role. */
  crossAccount: boolean;
}

/**
 * One destination's work, kept in the execution's evidence (`copies/<key>.json`) and brought up to date by each
 * round: every (volume, destination) pair of the run, so the state machine's payload stays the same size at 3,200
 * volumes as at 3.
 */
export interface CopyBook {
  destination: DestinationRef & Pick<CopyDestination, 'kmsKeyId' | 'retention'>;
  /** The source Region: where the snapshots are. */
  sourceRegion: string;
  /** When the first round ran (epoch ms): the copies' time-out counts from it. */
  startedAt?: number;
  /** Rounds run so far. */
  rounds: number;
  items: CopyItem[];
  /** Retention of the destination's copies, planned once every copy is settled, applied in batches. */
  retention?: CopyRetentionProgress;
}

/** Where a destination's retention stands: what its plan deletes, how far the rounds got, what EC2 refused. */
export interface CopyRetentionProgress {
  /** The copies the plan deletes, in order. */
  deletions: string[];
  /** The copies the plan keeps. */
  kept: number;
  /** How many of `deletions` were tried. */
  cursor: number;
  deleted: number;
  failed: Array<{ snapshotId: string; error: string }>;
}

/** What a round tells the state machine: whether the destination is done, and its figures for people watching. */
export interface CopyRoundResult {
  key: string;
  done: boolean;
  waiting: number;
  ready: number;
  copying: number;
  completed: number;
  failed: number;
  /** Copies started this round. */
  started: number;
  /** Whether EC2's concurrent-copy limit (or its request rate) stopped the round from starting more. */
  limited: boolean;
}

/** One iteration of the copy loops' Map, as the ASL carries it: a destination, its last round, or why it stopped. */
export interface CopyIteration {
  destination: DestinationRef;
  round?: CopyRoundResult;
  /** The failure a round's Catch caught: every copy of the destination not completed fails with it. */
  roundFailure?: { Error: string; Cause?: string };
}
