/** A form-encoded EC2 query request: `Action`, `Version` and flattened members such as `Filter.1.Value.2`. */
export type QueryParams = Readonly<Record<string, string>>;

/** Parses a form-encoded body; a repeated key keeps its last value. */
export function parseQuery(body: string): QueryParams {
  return Object.fromEntries(new URLSearchParams(body));
}

/** A query request's parameters without the `Action` the route already named (EC2's, STS's). */
export function operationParams(body: string): QueryParams {
  const { Action: _action, ...params } = parseQuery(body);
  return params;
}

/** The values of a flattened list `<prefix>.1`, `<prefix>.2`… in index order. */
export function listParam(params: QueryParams, prefix: string): string[] {
  return listIndexes(params, prefix).map((i) => params[`${prefix}.${i}`] ?? '');
}

/** The indexes `N` of a flattened list whose members are structures (`<prefix>.N.<member>`) or scalars. */
export function listIndexes(params: QueryParams, prefix: string): number[] {
  const indexes = new Set<number>();
  for (const key of Object.keys(params)) {
    if (!key.startsWith(`${prefix}.`)) continue;
    const match = /^(\d+)(\.|$)/.exec(key.slice(prefix.length + 1));
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes].sort((a, b) => a - b);
}
