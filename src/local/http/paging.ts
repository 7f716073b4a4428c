/** One page of a list and the token of the next one, if any. */
export interface Page<T> {
  items: T[];
  next: string | undefined;
}

/**
 * Cuts `items` into pages of `size` starting where `token` says: the token paging of every local endpoint.
 * @param scope the listing the tokens belong to: a token is only valid for the scope that issued it
 * @returns `undefined` when the token was not made by this function for this scope and a list this long
 */
export function paginate<T>(
  items: readonly T[],
  size: number,
  token: string | undefined,
  scope = '',
): Page<T> | undefined {
  const start = token === undefined ? 0 : offsetOf(token, scope);
  if (start === undefined || start > items.length) return undefined;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? tokenOf(scope, end) : undefined };
}

// Opaque like AWS markers, so callers cannot come to rely on them being indexes.
function tokenOf(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ scope, offset })).toString('base64url');
}

function offsetOf(token: string, scope: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { scope: tokenScope, offset } = parsed as { scope?: unknown; offset?: unknown };
  return tokenScope === scope && typeof offset === 'number' && Number.isInteger(offset) && offset >= 0
    ? offset
    : undefined;
}
