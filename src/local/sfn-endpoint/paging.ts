import { SfnApiError, SfnErrorType } from './errors.ts';

/** Page size when a request gives no `maxResults`, and the largest it may ask for, as on AWS. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/**
 * One page of `items` from the offset `nextToken` encodes. A token is only valid for the listing
 * (`scope`) that issued it.
 * @throws {SfnApiError} `InvalidToken`, or `ValidationException` for a bad `maxResults`
 */
export function pageOf<T>(
  items: readonly T[],
  scope: string,
  request: { maxResults?: number; nextToken?: string },
): { page: T[]; nextToken?: string } {
  const size = request.maxResults || DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new SfnApiError(
      SfnErrorType.ValidationException,
      `1 validation error detected: Value '${size}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE_SIZE}`,
    );
  }
  const offset = request.nextToken === undefined ? 0 : offsetOf(request.nextToken, scope);
  const page = items.slice(offset, offset + size);
  const next = offset + page.length;
  return next < items.length ? { page, nextToken: tokenOf(scope, next) } : { page };
}

function tokenOf(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ scope, offset })).toString('base64url');
}

function offsetOf(token: string, scope: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      scope?: unknown;
      offset?: unknown;
    };
    if (
      parsed.scope === scope &&
      typeof parsed.offset === 'number' &&
      Number.isInteger(parsed.offset) &&
      parsed.offset >= 0
    )
      return parsed.offset;
  } catch {
    // Falls through to the error below.
  }
  throw new SfnApiError(SfnErrorType.InvalidToken, `Invalid Token: '${token}'`);
}
