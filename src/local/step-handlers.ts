import type { HandlerDependencies, StepHandler, WorkflowDescriptor } from '../workflow/descriptor.ts';

/** The real handler of every function a workflow's ASL names, keyed by function key, wired to the given clients. */
export function createStepHandlers(
  workflow: Pick<WorkflowDescriptor, 'handlers'>,
  deps: HandlerDependencies,
): Record<string, StepHandler> {
  return Object.fromEntries(
    Object.entries(workflow.handlers).map(([functionKey, create]) => [functionKey, create(deps)]),
  );
}
