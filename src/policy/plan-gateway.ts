import type { ListResult, RecoveryPoint } from '../workflow/types.ts';
import { type DecisionContext, decide } from './decide.ts';

/** Sorts every recovery point of a gateway into selected, skipped or failed: none is left out. */
export function planGateway(points: readonly RecoveryPoint[], context: DecisionContext): ListResult {
  const result: ListResult = { recoveryPoints: points.length, selected: [], skipped: [], failures: [] };
  for (const point of points) {
    const { volumeArn, recoveryPointTime } = point;
    const decision = decide(point, context);
    if (decision.action === 'snapshot') {
      result.selected.push({ volumeArn, recoveryPointTime, sizeBytes: point.sizeBytes });
    } else if (decision.action === 'skip') {
      result.skipped.push({ volumeArn, recoveryPointTime, reason: decision.reason });
    } else {
      result.failures.push({ volumeArn, recoveryPointTime, error: decision.error, cause: decision.cause });
    }
  }
  return result;
}
