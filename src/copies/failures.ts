import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { isTransientNetworkFailure } from '../lambda/transient-errors.ts';
import { RESOURCE_LIMIT_EXCEEDED } from './limits.ts';

/**
 * What a round does with a copy's failed start:
 * - `wait`: nothing is wrong with the copy; the destination has no free slot (`ResourceLimitExceeded`), EC2 throttled
 *   or failed on its side, or the call got no answer: the round starts no more, the next one tries again (a call that
 *   may have made the copy left its mark open, so the next `find` looks for it);
 * - `fail`: EC2 refused this copy for good (a 4xx of its own: the source is gone, a key the destination may not use):
 *   the volume's copy to this destination failed, with EC2's error;
 * - `retry`: anything else (the ledger's table, a bug): the round fails and the Task's retriers decide.
 */
export function classifyCopyFailure(error: unknown): 'wait' | 'fail' | 'retry' {
  if (error instanceof EC2ServiceException) {
    if (error.name === RESOURCE_LIMIT_EXCEEDED || error.$fault === 'server') return 'wait';
    return 'fail';
  }
  return isTransientNetworkFailure(error) ? 'wait' : 'retry';
}
