import type { IncomingHttpHeaders } from 'node:http';

/** What a request says before its body: method, path and headers. */
export interface HttpHead {
  readonly method: string;
  /** The path without its query string, e.g. `/`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** A request as a local AWS endpoint reads it: the body is read whole before it is routed. */
export interface HttpRequest extends HttpHead {
  readonly body: string;
}

/**
 * Where an AWS wire protocol names the operation: the awsJson protocols in the `X-Amz-Target` header
 * (`StorageGateway_20130630.ListGateways`), the query protocol in the `Action` parameter of its form body.
 */
export type TargetSource = 'x-amz-target' | 'Action';

/** What the router needs to know of a protocol. */
export interface RoutedProtocol {
  readonly targetIn: TargetSource;
}

/** One entry of a route table: a method, a path and a target, served by one protocol. */
export interface Route<P extends RoutedProtocol> {
  readonly method: string;
  readonly path: string;
  /** The whole `X-Amz-Target` value or `Action` value this route answers. */
  readonly target: string;
  readonly protocol: P;
}

/** Where a request went: its route, or, when no route matches, the protocol that answers the unknown operation. */
export type RouteMatch<R extends Route<RoutedProtocol>> =
  | { readonly route: R; readonly target: string }
  | { readonly route: undefined; readonly protocol: R['protocol']; readonly target: string };

/** AWS clients send every operation of these protocols as a POST to the endpoint's root. */
export const AWS_RPC_METHOD = 'POST';
export const AWS_RPC_PATH = '/';

/** A route table and the protocols that answer what no route matches. */
export interface Router<R extends Route<RoutedProtocol>> {
  match(request: HttpRequest): RouteMatch<R>;
  /**
   * The protocol a request speaks, judged by its head alone: for what must be answered before the body
   * is read, such as a body over the limit.
   */
  protocolOf(head: HttpHead): R['protocol'];
}

/**
 * A route table (like middy's http-router): a request is matched on method, path and target, nothing else.
 * @param unknown the protocol that answers a request no route matches, by where the request names its target
 * @throws {Error} when two routes share a method, path and target
 */
export function createRouter<R extends Route<RoutedProtocol>>(
  routes: readonly R[],
  unknown: Readonly<Record<TargetSource, R['protocol']>>,
): Router<R> {
  const table = new Map<string, R>();
  for (const route of routes) {
    const key = keyOf(route.method, route.path, route.protocol.targetIn, route.target);
    if (table.has(key)) throw new Error(`Two routes for ${key}`);
    table.set(key, route);
  }
  return {
    match(request) {
      const { source, target } = targetOf(request);
      const route = table.get(keyOf(request.method, request.path, source, target));
      return route ? { route, target } : { route: undefined, protocol: unknown[source], target };
    },
    protocolOf: ({ headers }) =>
      unknown[headers['x-amz-target'] === undefined && isForm(headers) ? 'Action' : 'x-amz-target'],
  };
}

function keyOf(method: string, path: string, source: TargetSource, target: string): string {
  return `${method} ${path} ${source}=${target}`;
}

// A request that carries `X-Amz-Target` speaks awsJson; a form-encoded one (or a bare `Action=` body, as
// `curl --data` without a content type sends) speaks the query protocol; one with neither names no target.
function targetOf({ headers, body }: HttpRequest): { source: TargetSource; target: string } {
  const header = headers['x-amz-target'];
  if (header !== undefined)
    return { source: 'x-amz-target', target: (Array.isArray(header) ? header[0] : header) ?? '' };
  if (isForm(headers) || /(^|&)Action=/.test(body)) {
    return { source: 'Action', target: new URLSearchParams(body).get('Action') ?? '' };
  }
  return { source: 'x-amz-target', target: '' };
}

function isForm(headers: IncomingHttpHeaders): boolean {
  return (headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
}
