import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { PermissionDeniedError, SNAPSHOTS_FAILED } from '../../errors.ts';
import type { ExecutionDescription, StepFunctions } from './step-functions.ts';

// The ASL names the Fail state after the error it ends the execution with.
const FAIL_STATE = SNAPSHOTS_FAILED;
// The Fail state is entered just before the execution fails: the newest few events hold it.
const NEWEST_EVENTS_PAGE = 10;

/**
 * The parsed input of the `SnapshotsFailed` state in an execution's own history (not a child's), or
 * `undefined` when the state was not entered or its input is absent, cut or not JSON.
 */
export function failStateInputOf(events: readonly HistoryEvent[]): unknown {
  return inputOf(events.findLast(isFailStateEntered));
}

/**
 * For an execution that failed with `SnapshotsFailed`: its Fail state's input, read from the history
 * newest first. `undefined` for any other execution, or when the history does not hold the input; when
 * `states:GetExecutionHistory` is refused, `onRefused` is told and the report comes from the cause.
 */
export async function readFailStateInput(
  sfn: StepFunctions,
  description: ExecutionDescription,
  onRefused?: (message: string) => void,
): Promise<unknown> {
  if (description.status !== 'FAILED' || description.error !== SNAPSHOTS_FAILED) return undefined;
  let nextToken: string | undefined;
  try {
    do {
      const page = await sfn.historyPage({
        executionArn: description.executionArn,
        reverseOrder: true,
        maxResults: NEWEST_EVENTS_PAGE,
        ...(nextToken ? { nextToken } : {}),
      });
      const entered = page.events.find(isFailStateEntered);
      if (entered) return inputOf(entered);
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    if (!(error instanceof PermissionDeniedError)) throw error;
    onRefused?.(`the report comes from the failure cause, which may be cut to 32,768 characters: ${error.message}`);
  }
  return undefined;
}

function isFailStateEntered(event: HistoryEvent): boolean {
  return event.type === 'FailStateEntered' && event.stateEnteredEventDetails?.name === FAIL_STATE;
}

function inputOf(entered: HistoryEvent | undefined): unknown {
  const details = entered?.stateEnteredEventDetails;
  if (details?.input === undefined || details.inputDetails?.truncated) return undefined;
  try {
    return JSON.parse(details.input) as unknown;
  } catch {
    return undefined;
  }
}
