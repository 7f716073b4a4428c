/** One page of a list and the token of the next one, if any. */
export interface Page<T> {
  items: T[];
  next: string | undefined;
}

/**
 * Cuts `items` into pages of `size` starting where `token` says.
 * @returns `undefined` when the token was not made by this function for a list this long
 */
export function paginate<T>(items: readonly T[], size: number, token: string | undefined): Page<T> | undefined {
  const start = token === undefined ? 0 : decodeToken(token);
  if (start === undefined || start > items.length) return undefined;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? encodeToken(end) : undefined };
}

// Opaque like AWS markers, so callers cannot come to rely on them being indexes.
function encodeToken(index: number): string {
  return Buffer.from(`page:${index}`).toString('base64url');
}

function decodeToken(token: string): number | undefined {
  const match = /^page:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return match ? Number(match[1]) : undefined;
}
