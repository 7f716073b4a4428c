import { createRouter, type HttpRequest, type Route, type RoutedProtocol } from '../../../../src/local/http/router.ts';

interface NamedProtocol extends RoutedProtocol {
  readonly name: string;
}

const json: NamedProtocol = { name: 'json', targetIn: 'x-amz-target' };
const query: NamedProtocol = { name: 'query', targetIn: 'Action' };
const routes: Route<NamedProtocol>[] = [
  { method: 'POST', path: '/', target: 'Svc.List', protocol: json },
  { method: 'POST', path: '/', target: 'Describe', protocol: query },
];
const router = createRouter(routes, { 'x-amz-target': json, Action: query });

function request(overrides: Partial<HttpRequest>): HttpRequest {
  return { method: 'POST', path: '/', headers: {}, body: '', ...overrides };
}

describe('the route table', () => {
  it.each([
    ['an X-Amz-Target header', request({ headers: { 'x-amz-target': 'Svc.List' }, body: 'Action=Describe' }), 0],
    [
      'the Action of a form body',
      request({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Version=1&Action=Describe' }),
      1,
    ],
    ['the Action of a body sent without a content type', request({ body: 'Action=Describe' }), 1],
  ])('routes a request by %s', (_case, req, index) => {
    // Act
    const match = router.match(req);

    // Assess
    expect(match.route).toBe(routes[index]);
  });

  it.each([
    ['another method', request({ method: 'GET', headers: { 'x-amz-target': 'Svc.List' } }), json, 'Svc.List'],
    ['another path', request({ path: '/other', body: 'Action=Describe' }), query, 'Describe'],
    ['a query Action named in the header', request({ headers: { 'x-amz-target': 'Describe' } }), json, 'Describe'],
    ['an awsJson target named as an Action', request({ body: 'Action=Svc.List' }), query, 'Svc.List'],
    [
      'a form body without an Action',
      request({ headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      query,
      '',
    ],
    ['a request that names no target', request({ body: '{}' }), json, ''],
  ])('leaves %s to the protocol that answers unknown operations', (_case, req, protocol, target) => {
    // Act
    const match = router.match(req);

    // Assess
    expect(match).toEqual({ route: undefined, protocol, target });
  });

  it.each([
    ['a request with an X-Amz-Target header', { 'x-amz-target': 'Svc.List' }, json],
    ['a form-encoded request', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, query],
    ['a request that says neither', {}, json],
  ])('judges by its head alone that %s speaks its protocol', (_case, headers, protocol) => {
    // Act
    const spoken = router.protocolOf({ method: 'POST', path: '/', headers });

    // Assess
    expect(spoken).toBe(protocol);
  });

  it('refuses a table with two routes for one method, path and target', () => {
    // Act
    const build = () =>
      createRouter([routes[0], routes[0]] as Route<NamedProtocol>[], { 'x-amz-target': json, Action: query });

    // Assess
    expect(build).toThrow('Two routes for POST / x-amz-target=Svc.List');
  });
});
