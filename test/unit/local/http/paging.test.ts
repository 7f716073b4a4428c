import { paginate } from '../../../../src/local/http/paging.ts';

const items = ['a', 'b', 'c', 'd', 'e'];

describe('token paging', () => {
  it('walks a list page by page and ends without a token', () => {
    // Act
    const first = paginate(items, 2, undefined, 'list');
    const second = paginate(items, 2, first?.next, 'list');
    const last = paginate(items, 2, second?.next, 'list');

    // Assess
    expect([first?.items, second?.items, last?.items]).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(first?.next).toEqual(expect.any(String));
    expect(last?.next).toBeUndefined();
  });

  it('answers a whole short list with no token', () => {
    // Act
    const page = paginate(items, 10, undefined);

    // Assess
    expect(page).toEqual({ items, next: undefined });
  });

  it('refuses a token of another listing, one it did not make, and one past the end', () => {
    // Prepare
    const token = paginate(items, 2, undefined, 'list')?.next;
    const pastTheEnd = Buffer.from(JSON.stringify({ scope: '', offset: 6 })).toString('base64url');

    // Act
    const answers = [
      paginate(items, 2, token, 'other'),
      paginate(items, 2, 'bogus'),
      paginate(items, 2, Buffer.from('[1]').toString('base64url')),
      paginate(items, 2, pastTheEnd),
    ];

    // Assess
    expect(answers).toEqual([undefined, undefined, undefined, undefined]);
  });
});
