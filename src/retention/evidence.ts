import { NoSuchKey } from '@aws-sdk/client-s3';
import { InvalidEvidenceError } from '../errors.ts';
import { executionEvidence, executionRefFromArn } from '../evidence/keys.ts';
import type { EvidenceLocation } from '../evidence/location.ts';
import type { EvidenceStore } from '../evidence/store.ts';
import { readableCause } from '../report/cause.ts';
import { volumeIdOf } from '../report/gateway-report.ts';
import type { GatewayIteration } from '../workflow/types.ts';
import { type GatewayRetention, type RetentionPlan, type RetentionRound, retentionRows } from './report.ts';

/** Where retention keeps its work, under the execution's prefix: `retention/<gateway id>/`. */
export const RETENTION_FOLDER = 'retention/';

/** One gateway's retention evidence: the plan, written before any deletion, and one object per round. */
export interface RetentionEvidence {
  writePlan(plan: RetentionPlan): Promise<unknown>;
  /** The plan, or `undefined` before the first round wrote it. */
  readPlan(): Promise<RetentionPlan | undefined>;
  writeRound(round: RetentionRound): Promise<unknown>;
  /** A round, or `undefined` if it never wrote its results. */
  readRound(round: number): Promise<RetentionRound | undefined>;
}

/** The retention evidence of `gatewayArn` in the execution `executionArn`'s evidence in `bucket`. */
export function retentionEvidence(
  store: EvidenceStore,
  bucket: string,
  executionArn: string,
  gatewayArn: string,
): RetentionEvidence {
  const ref = executionRefFromArn(executionArn);
  if (!ref) throw new InvalidEvidenceError(`${executionArn} is not the ARN of a standard execution`);
  const folder = `${executionEvidence(bucket, ref).prefix}${RETENTION_FOLDER}${volumeIdOf(gatewayArn)}/`;
  const at = (name: string): EvidenceLocation => ({ bucket, key: `${folder}${name}` });
  const read = async <T>(location: EvidenceLocation): Promise<T | undefined> => {
    try {
      return (await store.getJson(location)) as T;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  };
  return {
    writePlan: (plan) => store.putJson(at('plan.json'), plan),
    readPlan: () => read<RetentionPlan>(at('plan.json')),
    writeRound: (round) => store.putJson(at(`round-${round.round}.json`), round),
    readRound: (round) => read<RetentionRound>(at(`round-${round}.json`)),
  };
}

/**
 * A gateway's retention rows for its evidence: the plan with every round that wrote its results (the round after the
 * last one the state machine saw too: a round that failed after writing counts); `undefined` when retention never
 * ran for the gateway.
 */
export async function gatewayRetentionOf(
  evidence: RetentionEvidence,
  iteration: Pick<GatewayIteration, 'retention' | 'retentionFailure'>,
): Promise<GatewayRetention | undefined> {
  const { retention, retentionFailure } = iteration;
  if (!retention && !retentionFailure) return undefined;
  const failure = retentionFailure
    ? { failure: { error: retentionFailure.Error, cause: readableCause(retentionFailure.Cause) } }
    : {};
  const plan = await evidence.readPlan();
  if (!plan) return { rows: [], ...failure };
  const rounds = await Promise.all(
    Array.from({ length: (retention?.rounds ?? 0) + 1 }, (_, round) => evidence.readRound(round)),
  );
  return {
    rows: retentionRows(
      plan,
      rounds.filter((r) => r !== undefined),
    ),
    ...failure,
  };
}
