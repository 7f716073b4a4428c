import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { PermissionDeniedError } from '../../errors.ts';
import type { WorkflowDescriptor } from '../../workflow/descriptor.ts';
import type { ExecutionDescription, StepFunctions } from './step-functions.ts';

type FailState = WorkflowDescriptor['failState'];

// The Fail state is entered just before the execution fails: the newest few events hold it.
const NEWEST_EVENTS_PAGE = 10;

/**
 * The parsed input of the workflow's Fail state in an execution's own history (not a child's), or
 * `undefined` when the state was not entered or its input is absent, cut or not JSON.
 */
export function failStateInputOf(
  events: readonly HistoryEvent[],
  workflow: Pick<WorkflowDescriptor, 'failState'>,
): unknown {
  return inputOf(events.findLast(isEntered(workflow.failState)));
}

/**
 * For an execution that failed with the error of the workflow's Fail state: that state's input, read
 * from the history newest first. `undefined` for any other execution, or when the history does not hold
 * the input; when `states:GetExecutionHistory` is refused, `onRefused` is told and the digest comes from
 * the cause.
 */
export async function readFailStateInput(
  sfn: StepFunctions,
  description: ExecutionDescription,
  workflow: Pick<WorkflowDescriptor, 'failState'>,
  onRefused?: (message: string) => void,
): Promise<unknown> {
  const { failState } = workflow;
  if (description.status !== 'FAILED' || description.error !== failState.error) return undefined;
  let nextToken: string | undefined;
  try {
    do {
      const page = await sfn.historyPage({
        executionArn: description.executionArn,
        reverseOrder: true,
        maxResults: NEWEST_EVENTS_PAGE,
        ...(nextToken ? { nextToken } : {}),
      });
      const entered = page.events.find(isEntered(failState));
      if (entered) return inputOf(entered);
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    if (!(error instanceof PermissionDeniedError)) throw error;
    onRefused?.(`the report's digest comes from the failure cause: ${error.message}`);
  }
  return undefined;
}

function isEntered(failState: FailState): (event: HistoryEvent) => boolean {
  return (event) => event.type === 'FailStateEntered' && event.stateEnteredEventDetails?.name === failState.name;
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
