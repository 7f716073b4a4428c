import { createS3Client } from '../../src/aws/clients.ts';
import { copyBooks } from '../../src/copies/evidence.ts';
import { planCopies } from '../../src/copies/plan.ts';
import type { DestinationRef } from '../../src/copies/types.ts';
import { InvalidEvidenceError } from '../../src/errors.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { mapConcurrently, runEvidence } from '../../src/evidence/run-evidence.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { scopeOfExecutionArn } from '../../src/input/execution-scope.ts';
import type { ExecutionOptions } from '../../src/input/schema.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import type { ExecutionRef } from '../../src/workflow/types.ts';

export interface CopyPlanRequest {
  options: ExecutionOptions;
  execution: ExecutionRef;
  gatewayArns: string[];
}

/** The destinations the copy loops iterate over: one small reference each, their work is in their books. */
export interface CopyPlanResult {
  destinations: DestinationRef[];
}

/**
 * Plans the copies once the snapshots are made (and, when asked, waited for): every volume of the manifest with a
 * snapshot gets an item in each destination's book, written to the evidence before any copy is made.
 */
export function createCopyPlanHandler({ evidence, evidenceBucket }: EvidenceDependencies) {
  return stepHandler(async ({ options, execution, gatewayArns }: CopyPlanRequest): Promise<CopyPlanResult> => {
    const scope = scopeOfExecutionArn(execution.id);
    if (!scope) throw new InvalidEvidenceError(`${execution.id} is not the ARN of an execution`);
    const run = runEvidence(evidence, evidenceBucket(), execution.id);
    const gateways = (await mapConcurrently(gatewayArns, run.readGateway)).filter((g) => g !== undefined);
    const books = planCopies(gateways, options.copies, { ownAccountId: scope.account, sourceRegion: scope.region });
    const store = copyBooks(evidence, evidenceBucket(), execution.id);
    await Promise.all(books.map((book) => store.write(book)));
    logger.info('Copies planned', {
      destinations: books.map((b) => b.destination.key),
      volumes: books[0]?.items.length ?? 0,
    });
    return {
      destinations: books.map(({ destination: { key, region, accountId, crossAccount } }) => ({
        key,
        region,
        accountId,
        crossAccount,
      })),
    };
  });
}

export const handler = createCopyPlanHandler({
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
});
