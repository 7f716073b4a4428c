import { InvalidEvidenceError } from '../errors.ts';
import { executionEvidence, executionRefFromArn } from '../evidence/keys.ts';
import type { EvidenceLocation } from '../evidence/location.ts';

/** Where a restore keeps, beside its report, what does not fit its state: the plan, each batch's items and outcomes. */
export interface RestoreEvidence {
  plan: EvidenceLocation;
  batchItems(index: number): EvidenceLocation;
  batchOutcomes(index: number): EvidenceLocation;
}

/**
 * The restore's working objects under its execution's evidence prefix: `restore/plan.json`,
 * `restore/batches/0007.json`, `restore/outcomes/0007.json`.
 * @throws {InvalidEvidenceError} for an ARN that is not a standard execution's
 */
export function restoreEvidence(bucket: string, executionArn: string): RestoreEvidence {
  const ref = executionRefFromArn(executionArn);
  if (!ref) throw new InvalidEvidenceError(`${executionArn} is not the ARN of a standard execution`);
  const { prefix } = executionEvidence(bucket, ref);
  const at = (name: string): EvidenceLocation => ({ bucket, key: `${prefix}restore/${name}` });
  const numbered = (index: number) => String(index).padStart(4, '0');
  return {
    plan: at('plan.json'),
    batchItems: (index) => at(`batches/${numbered(index)}.json`),
    batchOutcomes: (index) => at(`outcomes/${numbered(index)}.json`),
  };
}
