import type { AslDefinition, AslState } from '../statemachine/definition.ts';

/** The error a Map state fails with when more of its child executions failed than it tolerates. */
export const EXCEED_TOLERATED_FAILURE_THRESHOLD = 'States.ExceedToleratedFailureThreshold';

/** A `DISTRIBUTED` Map state, as the runner rewrote it. */
export interface DistributedMap {
  name: string;
  /** The one Task state of the rewritten item processor: it stands for one child execution. */
  childState: string;
  /** What each child execution runs: the Map's item processor as written. */
  processor: AslDefinition;
  /** The Map's `Label`, or its name: child executions are named after it. */
  label: string;
  toleratedFailurePercentage?: number;
  toleratedFailureCount?: number;
}

/** What the rewritten Map hands its Task for each item. */
export interface ChildItem {
  /** The item as the Map's `ItemSelector` made it: the child's execution input. */
  item: unknown;
  index: number;
  total: number;
  toleratedFailurePercentage?: number;
  toleratedFailureCount?: number;
}

/**
 * A Standard child execution may run for a year on AWS; without a `TimeoutSeconds` the engine would give the Task
 * standing for it 60 s, and fail as `States.Timeout` any child that runs longer (retention's rounds over a year of
 * history do). The engine times a Task out with `setTimeout`, which holds at most 2^31 − 1 ms (24.8 days).
 */
export const CHILD_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
// Any ARN will do: the runner handles the Task in-process by its state name.
const CHILD_RESOURCE = 'arn:aws:lambda:us-east-1:000000000000:function:local-distributed-map-child';

/**
 * The engine runs every Map inline: its iterations share the execution's history and payload, and one failed
 * iteration fails the Map. On AWS each item of a `DISTRIBUTED` Map is a child execution of its own (its own 25,000
 * events, its own 256 KiB limits) and a failed child only counts against the Map's tolerated failure threshold.
 * So each `DISTRIBUTED` Map becomes an inline Map whose item processor is one Task; the runner handles that Task by
 * starting the real item processor as an execution of its own (see `childExecutionHandler`). The `ItemSelector`
 * still makes each item, and also passes the item's index, the item count and the thresholds a `…Path` names.
 * @returns the rewritten definition and the Maps it rewrote (nested ones included, but not inside a `DISTRIBUTED`
 * processor: that is the child's to rewrite when it runs).
 */
export function inlineDistributedMaps(definition: AslDefinition): {
  definition: AslDefinition;
  maps: DistributedMap[];
} {
  const maps: DistributedMap[] = [];
  const rewrite = (machine: AslDefinition): AslDefinition => ({
    ...machine,
    States: Object.fromEntries(
      Object.entries(machine.States).map(([name, state]) => [name, rewriteState(name, state, maps, rewrite)]),
    ),
  });
  return { definition: rewrite(definition), maps };
}

function rewriteState(
  name: string,
  state: AslState,
  maps: DistributedMap[],
  rewrite: (machine: AslDefinition) => AslDefinition,
): AslState {
  const branches = state.Branches as AslDefinition[] | undefined;
  if (branches) return { ...state, Branches: branches.map(rewrite) };
  const processor = state.ItemProcessor;
  if (state.Type !== 'Map' || !processor) return state;
  const { ProcessorConfig: config, ...machine } = processor as AslDefinition & { ProcessorConfig?: { Mode?: string } };
  if (config?.Mode !== 'DISTRIBUTED') return { ...state, ItemProcessor: rewrite(processor) };
  for (const field of ['ItemReader', 'ItemBatcher', 'ResultWriter']) {
    if (field in state) throw new Error(`The local runner does not support ${field} (Map state ${name})`);
  }
  const {
    ItemSelector: itemSelector,
    Parameters: parameters,
    ToleratedFailurePercentage: percentage,
    ToleratedFailurePercentagePath: percentagePath,
    ToleratedFailureCount: count,
    ToleratedFailureCountPath: countPath,
    Label: label,
    ...kept
  } = state;
  const childState = `${name}/ChildExecution`;
  const selector = itemSelector ?? parameters;
  maps.push({
    name,
    childState,
    processor: machine,
    label: typeof label === 'string' ? label : name,
    ...(typeof percentage === 'number' ? { toleratedFailurePercentage: percentage } : {}),
    ...(typeof count === 'number' ? { toleratedFailureCount: count } : {}),
  });
  return {
    ...kept,
    ItemSelector: {
      ...(selector === undefined ? { 'item.$': '$$.Map.Item.Value' } : { item: selector }),
      'index.$': '$$.Map.Item.Index',
      'total.$': `States.ArrayLength(${typeof state.ItemsPath === 'string' ? state.ItemsPath : '$'})`,
      ...(typeof percentagePath === 'string' ? { 'toleratedFailurePercentage.$': percentagePath } : {}),
      ...(typeof countPath === 'string' ? { 'toleratedFailureCount.$': countPath } : {}),
    },
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: childState,
      States: {
        [childState]: { Type: 'Task', Resource: CHILD_RESOURCE, TimeoutSeconds: CHILD_TIMEOUT_SECONDS, End: true },
      },
    },
  };
}

/** How a child execution ended, as much as the Map needs. */
export interface ChildResult {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
}

/** One child execution, started. */
export interface ChildExecution {
  result: Promise<ChildResult>;
  abort: () => void;
}

/** The error the Map fails with when its Map Run failed. */
export class ExceedToleratedFailureThresholdError extends Error {
  override readonly name = EXCEED_TOLERATED_FAILURE_THRESHOLD;
}

/**
 * Handles the Task that stands for one child execution: starts it with `start`, and returns its output when it
 * succeeds. A child that fails (or times out, or is aborted) is counted; while the failures stay within the Map's
 * thresholds it leaves `null` in the Map's result, past them the Map fails with
 * `States.ExceedToleratedFailureThreshold` and its running children are stopped, as AWS fails the Map Run. With no
 * threshold set, one failed child is too many. A Map Run's count lives until all its items have settled; a Map
 * entered again (in a loop) starts a new one.
 */
export function childExecutionHandler(
  map: DistributedMap,
  start: (input: unknown, index: number) => ChildExecution,
): (input: unknown) => Promise<unknown> {
  let current: { settled: number; failed: number; running: Set<ChildExecution> } | undefined;
  return async (input) => {
    const { item, index, total, ...paths } = input as ChildItem;
    current ??= { settled: 0, failed: 0, running: new Set() };
    const run = current;
    const child = start(item, index);
    run.running.add(child);
    const result = await child.result;
    run.running.delete(child);
    run.settled += 1;
    if (run.settled >= total && current === run) current = undefined;
    if (result.status === 'SUCCEEDED') return result.output ?? null;
    run.failed += 1;
    const percentage = paths.toleratedFailurePercentage ?? map.toleratedFailurePercentage;
    const count = paths.toleratedFailureCount ?? map.toleratedFailureCount;
    const exceeded =
      percentage === undefined && count === undefined
        ? true
        : (percentage !== undefined && run.failed * 100 > percentage * total) ||
          (count !== undefined && run.failed > count);
    if (!exceeded) return null;
    if (current === run) current = undefined;
    for (const other of run.running) other.abort();
    throw new ExceedToleratedFailureThresholdError(
      `The Map Run of ${map.name} failed: ${run.failed} of ${total} child executions failed, past the tolerated ` +
        `threshold; the last (item ${index}): ${result.error ?? result.status}: ${result.cause ?? ''}`,
    );
  };
}
