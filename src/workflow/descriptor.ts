import type { EC2Client } from '@aws-sdk/client-ec2';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import type { STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import type { RoleCredentials } from '../aws/ec2-copies.ts';
import type { IdempotencyTable } from '../create-once/idempotency-table.ts';
import type { EvidenceDependencies } from '../evidence/config.ts';

/** A Lambda handler as the local engine calls it. */
export type StepHandler = (event: never, context: Context) => Promise<unknown>;

/** The AWS side a workflow's handlers are wired to when they run in this process. */
export interface HandlerDependencies extends EvidenceDependencies {
  storageGateway: StorageGatewayClient;
  ec2: EC2Client;
  now: () => number;
  /** The table that makes creates exactly-once across concurrent executions; without it the tags alone guard. */
  idempotency?: IdempotencyTable;
  /**
   * Copies (issue 13): EC2 of another Region, with this function's credentials or, for another account, those of the
   * role assumed there. @default a client per Region, made once
   */
  ec2In?: (region: string, credentials?: RoleCredentials) => EC2Client;
  /** Copies (issue 13): STS, to assume the copy role of another account. @default an STS client */
  sts?: STSClient;
  /** Restore (issue 14): KMS, for the preflight's "the KMS keys can be used". @default a KMS client */
  kms?: KMSClient;
}

/** Builds the handler of one function over the given clients. */
export type HandlerFactory = (deps: HandlerDependencies) => StepHandler;

/**
 * What one state's steps mean to the people watching a run: how they add to the progress counts, what
 * line tells of them, and what a Task's exit created. `output` is the state's output as the ASL shapes it,
 * `undefined` when the history does not hold it whole.
 */
export interface StateReader<TCounts, TOutput = unknown> {
  /** Adds a step that left the state as planned to the counts. */
  countExit?(counts: TCounts, output: TOutput | undefined): void;
  /** Adds a step whose failure a Catch caught (the error is under one of `caughtErrorKeys`) to the counts. */
  countFailOver?(counts: TCounts, output: TOutput | undefined): void;
  /** The line a person watching reads when the state exits as planned. */
  tellExit?(output: TOutput | undefined): string | undefined;
  /** The line a person watching reads when the state's failure was caught; `error` is the failure's name. */
  tellFailOver?(output: TOutput | undefined, error: string): string | undefined;
  /** The lines told of this state's exits are failures: always told, as failures, even when steps are not. */
  failure?: boolean;
  /** The gateways whose names the state's output tells, as `[gateway ARN, name]`: shown beside their IDs from then on. */
  gatewayNames?(output: TOutput | undefined): Array<readonly [string, string]>;
}

/**
 * What a live status shows of a run: how many items (`unit`) there are, how many are done and how many of those
 * failed, and, while the run waits for something, what it waits for.
 */
export interface ProgressFigures {
  unit: string;
  /** Unknown until every item has been found (e.g. every gateway listed). */
  total: number | undefined;
  done: number;
  failed: number;
  /** A sentence while the run waits, e.g. `7 of 11 snapshots complete, oldest pending 42 %`. */
  waiting?: string;
}

/** The counts a run's progress is told in; every workflow counts retried attempts. */
export interface ProgressCountsBase {
  retries: number;
}

/** How an execution ended, as far as its report is concerned. */
export interface EndedExecution {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
  /** The parsed input of the workflow's Fail state, when the history was read. */
  failStateInput?: unknown;
}

/**
 * Everything the generic machinery needs to know about one state machine: where its ASL is, the handlers
 * its Tasks invoke, its states, and how to read its history. The local runner, the local Step Functions
 * endpoint, the progress, the narration and the drill report take one as a value; adding a workflow is
 * adding one module that exports one.
 */
export interface WorkflowDescriptor<TCounts extends ProgressCountsBase = ProgressCountsBase, TReport = unknown> {
  /** The ASL, as written: Lambda resources are `{"Fn::GetAtt": [functionKey, "Arn"]}`. */
  readonly definitionUrl: URL;
  /** The state machine's name where nobody gives one (local runs, `serve`). */
  readonly defaultStateMachineName: string;
  /** The handler factory of every function the ASL names, by function key. */
  readonly handlers: Readonly<Record<string, HandlerFactory>>;
  /** Every state's name, nested ones included. */
  readonly stateNames: readonly string[];
  /** The Fail state whose input holds the report, and the error it fails the execution with. */
  readonly failState: { readonly name: string; readonly error: string };
  /** The `ResultPath` keys of the ASL's Catch blocks: a Task that exits with one of them set failed over. */
  readonly caughtErrorKeys: readonly string[];
  /** The readers of the states whose steps mean something to a person watching, by state name. */
  readonly states: Readonly<Record<string, StateReader<TCounts>>>;
  /** The counts of a run that has done nothing yet. */
  initialCounts(): TCounts;
  /** The counts as one line. */
  progressLine(counts: TCounts): string;
  /** What a Distributed Map's child execution works on, told from its input (e.g. `gateway sgw-12A3456B`). */
  mapItemLabel(input: unknown): string;
  /** What a live status shows of the counts. */
  progressFigures(counts: TCounts): ProgressFigures;
  /** Makes the counts say what the ended execution's report says, where they differ; returns whether they did. */
  reconcile(counts: TCounts, report: TReport): boolean;
  /** What a Task's step works on, told from the state's input (e.g. `vol-1122AABB on sgw-12A3456B`), if anything. */
  subjectOf(input: unknown): string | undefined;
  /** The report of an ended execution: from its output, its Fail state's input or its cause. */
  reportOf(execution: EndedExecution): TReport | undefined;
}

/** The reader of a state, if the workflow has one: state names come from histories, never trusted as keys. */
export function stateReaderOf<TCounts extends ProgressCountsBase>(
  workflow: Pick<WorkflowDescriptor<TCounts>, 'states'>,
  stateName: string,
): StateReader<TCounts> | undefined {
  return Object.hasOwn(workflow.states, stateName) ? workflow.states[stateName] : undefined;
}
