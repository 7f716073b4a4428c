import { readFileSync } from 'node:fs';

export type AslDefinition = { StartAt: string; States: Record<string, AslState> } & Record<string, unknown>;
export type AslState = { Type: string; Resource?: unknown; ItemProcessor?: AslDefinition } & Record<string, unknown>;

/**
 * Reads an ASL file as written (Lambda resources are `{"Fn::GetAtt": [functionKey, "Arn"]}`); each
 * workflow's descriptor says where its file is.
 */
export function loadDefinition(url: URL): AslDefinition {
  return JSON.parse(readFileSync(url, 'utf8')) as AslDefinition;
}

/** The function key a Task's `Resource` names, if it is a `Fn::GetAtt` of a function's `Arn`. */
export function functionKeyOf(resource: unknown): string | undefined {
  if (!resource || typeof resource !== 'object' || !('Fn::GetAtt' in resource)) return undefined;
  const getAtt = resource['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** Every state, nested ones included, by name. */
export function allStates(definition: AslDefinition, into = new Map<string, AslState>()): Map<string, AslState> {
  for (const [name, state] of Object.entries(definition.States)) {
    into.set(name, state);
    if (state.ItemProcessor) allStates(state.ItemProcessor, into);
  }
  return into;
}

/** Every Task state, nested ones included, with the function it invokes: state name → function key. */
export function taskFunctions(definition: AslDefinition): Map<string, string> {
  const tasks = new Map<string, string>();
  for (const [name, state] of allStates(definition)) {
    const key = functionKeyOf(state.Resource);
    if (key) tasks.set(name, key);
  }
  return tasks;
}

/** A copy of the definition with each `Fn::GetAtt` replaced by the ARN `arnOf` gives for its function key. */
export function resolveFunctionArns(definition: AslDefinition, arnOf: (functionKey: string) => string): AslDefinition {
  return JSON.parse(JSON.stringify(definition), (_, value: unknown) => {
    const key = functionKeyOf(value);
    return key ? arnOf(key) : value;
  }) as AslDefinition;
}
