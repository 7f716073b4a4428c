import { ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { NewestExecution } from './notification.ts';

/** How many of the newest executions are looked at for one that ended (the others are still running). */
const EXECUTIONS_LOOKED_AT = 10;

/**
 * The newest execution of the state machine that has ended (ListExecutions answers the newest first), whose
 * manifest names the volumes a stale-volume alarm is about; `undefined` when none of the newest has ended.
 */
export async function newestEndedExecution(
  sfn: SFNClient,
  stateMachineArn: string,
): Promise<NewestExecution | undefined> {
  const { executions = [] } = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn, maxResults: EXECUTIONS_LOOKED_AT }),
  );
  const ended = executions.find((e) => e.status !== 'RUNNING' && e.status !== 'PENDING_REDRIVE');
  if (!ended?.executionArn || !ended.name || !ended.status) return undefined;
  return {
    executionArn: ended.executionArn,
    name: ended.name,
    status: ended.status,
    ...(ended.stopDate ? { stopDate: ended.stopDate } : {}),
  };
}
