import type { CfnResource, CfnTemplate } from './package.ts';

export interface IamStatement {
  Effect: string;
  Action: string[];
  Resource: unknown[];
  Condition?: unknown;
}

export interface OwnedStatement {
  /** Logical ID of the role or policy the statement belongs to. */
  owner: string;
  statement: IamStatement;
}

export interface AslState {
  Type: string;
  Resource?: unknown;
  TimeoutSeconds?: number;
  Retry?: AslRetrier[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
}

export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}

export interface AslDefinition {
  States: Record<string, AslState>;
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every resource of a type, by logical ID. */
export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

function statementsOf(document: unknown): IamStatement[] {
  if (!isRecord(document)) return [];
  return asArray(document.Statement as Record<string, unknown> | Record<string, unknown>[]).map((raw) => ({
    Effect: String(raw.Effect),
    Action: asArray(raw.Action as string | string[]),
    Resource: asArray(raw.Resource),
    ...(raw.Condition === undefined ? {} : { Condition: raw.Condition }),
  }));
}

/** The statements of every identity policy in the template: inline role policies and IAM policies. */
export function iamStatements(template: CfnTemplate): OwnedStatement[] {
  const owned: OwnedStatement[] = [];
  for (const [owner, resource] of Object.entries(template.Resources)) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of asArray(properties.Policies as { PolicyDocument: unknown }[])) {
        for (const statement of statementsOf(policy.PolicyDocument)) owned.push({ owner, statement });
      }
    }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      for (const statement of statementsOf(properties.PolicyDocument)) owned.push({ owner, statement });
    }
  }
  return owned;
}

/** The statements of one role's inline policies. */
export function roleStatements(template: CfnTemplate, roleLogicalId: string): IamStatement[] {
  return iamStatements(template)
    .filter(({ owner }) => owner === roleLogicalId)
    .map(({ statement }) => statement);
}

/** The logical ID a `Fn::GetAtt` (array or dotted string) or `Ref` points at, if any. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/**
 * The ASL of a state machine resource and the substitutions of its `Fn::Sub`: placeholder name
 * to the intrinsic function it stands for.
 */
export function stateMachineDefinition(resource: CfnResource): {
  definition: AslDefinition;
  substitutions: Record<string, unknown>;
} {
  const definitionString = resource.Properties?.DefinitionString;
  if (typeof definitionString === 'string') return { definition: JSON.parse(definitionString), substitutions: {} };
  const sub = isRecord(definitionString) ? definitionString['Fn::Sub'] : undefined;
  if (typeof sub === 'string') return { definition: JSON.parse(sub), substitutions: {} };
  if (Array.isArray(sub) && typeof sub[0] === 'string') {
    return { definition: JSON.parse(sub[0]), substitutions: isRecord(sub[1]) ? sub[1] : {} };
  }
  throw new Error('DefinitionString is neither a string nor a Fn::Sub');
}

/** Every state of a definition, nested Map and Parallel states included, as [name, state]. */
export function* allStates(states: Record<string, AslState>): Generator<[string, AslState]> {
  for (const [name, state] of Object.entries(states)) {
    yield [name, state];
    const nested = [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])];
    for (const machine of nested) if (machine) yield* allStates(machine.States);
  }
}

/** Every `{{ reference }}` of an SSM document, trimmed, in document order. */
export function ssmReferences(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((match) => match[1] ?? '');
  if (Array.isArray(value)) return value.flatMap(ssmReferences);
  if (isRecord(value)) return Object.values(value).flatMap(ssmReferences);
  return [];
}

/** A template as CloudFormation would deploy it for a set of parameter values. */
export type ParameterValues = Record<string, string>;

/**
 * The template with its conditions decided: each `Fn::If` replaced by the branch its condition picks,
 * `Ref: AWS::NoValue` removed and each `Ref` to a parameter replaced by its value: the parameter's
 * default unless `parameters` gives one.
 * Supports the condition functions the stack uses: `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`.
 */
export function resolveConditions(template: CfnTemplate, parameters: ParameterValues = {}): CfnTemplate {
  const declared = (template as { Parameters?: Record<string, { Default?: unknown }> }).Parameters ?? {};
  const conditions = (template as { Conditions?: Record<string, unknown> }).Conditions ?? {};
  const parameterValue = (name: string): unknown => {
    if (name in parameters) return parameters[name];
    if (!(name in declared)) throw new Error(`${name} is not a parameter`);
    return declared[name]?.Default;
  };
  const scalar = (value: unknown): unknown => {
    if (isRecord(value) && typeof value.Ref === 'string') return parameterValue(value.Ref);
    return value;
  };
  const decide = (expression: unknown): boolean => {
    if (!isRecord(expression)) throw new Error(`not a condition: ${JSON.stringify(expression)}`);
    const [[fn, args] = []] = Object.entries(expression);
    const list = asArray(args as unknown[]);
    switch (fn) {
      case 'Fn::Equals':
        return String(scalar(list[0])) === String(scalar(list[1]));
      case 'Fn::Not':
        return !decide(list[0]);
      case 'Fn::And':
        return list.every(decide);
      case 'Fn::Or':
        return list.some(decide);
      case 'Condition':
        return decide(conditions[String(args)]);
      default:
        throw new Error(`unsupported condition function ${String(fn)}`);
    }
  };
  const NO_VALUE = Symbol('AWS::NoValue');
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve).filter((item) => item !== NO_VALUE);
    if (!isRecord(value)) return value;
    if (value.Ref === 'AWS::NoValue') return NO_VALUE;
    if (typeof value.Ref === 'string' && value.Ref in declared) return parameterValue(value.Ref);
    const ifArgs = value['Fn::If'];
    if (Array.isArray(ifArgs)) {
      const [name, whenTrue, whenFalse] = ifArgs;
      return resolve(decide(conditions[String(name)]) ? whenTrue : whenFalse);
    }
    const entries = Object.entries(value)
      .map(([key, item]) => [key, resolve(item)] as const)
      .filter(([, item]) => item !== NO_VALUE);
    return Object.fromEntries(entries);
  };
  return resolve(template) as CfnTemplate;
}
