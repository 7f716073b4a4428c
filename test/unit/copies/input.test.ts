import { InvalidInputError } from '../../../src/errors.ts';
import { parseExecutionInput } from '../../../src/input/parse.ts';

function rejection(input: unknown): InvalidInputError {
  try {
    parseExecutionInput(input);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('the copies input (issue 13)', () => {
  it('makes no copies by default', () => {
    expect(parseExecutionInput({}).copies).toEqual([]);
  });

  it('takes destinations with an account, a key and a retention of their own', () => {
    // Act
    const options = parseExecutionInput({
      copies: [
        { region: 'eu-west-1' },
        { region: 'us-west-2', accountId: '444455556666', kmsKeyId: 'alias/dr', retention: { keepLast: 2 } },
      ],
    });

    // Assess
    expect(options.copies).toEqual([
      { region: 'eu-west-1' },
      {
        region: 'us-west-2',
        accountId: '444455556666',
        kmsKeyId: 'alias/dr',
        retention: { keepLast: 2, timeZone: 'UTC' },
      },
    ]);
  });

  it.each([
    [{ copies: [{ region: 'Europe' }] }, 'copies[0].region', 'Region such as eu-west-1'],
    [{ copies: [{ region: 'eu-west-1', accountId: '12' }] }, 'copies[0].accountId', '12 digits'],
    [{ copies: [{ region: 'eu-west-1', kmsKeyId: '' }] }, 'copies[0].kmsKeyId', ''],
    [{ copies: [{ region: 'eu-west-1', retention: {} }] }, 'copies[0].retention', 'at least one rule'],
    [{ copies: [{ region: 'eu-west-1', destination: 'x' }] }, 'copies[0].destination', 'destination'],
    [{ copies: [{ region: 'eu-west-1' }, { region: 'eu-west-1' }] }, 'copies', 'same Region and account twice'],
    [
      { copies: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'].map((region) => ({ region })) },
      'copies',
      'at most 3',
    ],
    [
      {
        copies: [{ region: 'eu-west-1' }],
        tags: Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`k${i}`, 'v'])),
      },
      'tags',
      'at most 44 tags with copies',
    ],
    [
      { copies: [{ region: 'eu-west-1' }], copyCheckIntervalSeconds: 5, copyTimeoutMinutes: 600 },
      'copyTimeoutMinutes',
      "an execution's history holds 2000",
    ],
    [
      {
        copies: [{ region: 'eu-west-1' }, { region: 'us-west-2' }],
        waitForCompletion: true,
        completionTimeoutMinutes: 1000,
        copyTimeoutMinutes: 500,
      },
      'copyTimeoutMinutes',
      'besides 1001 polls',
    ],
  ])('refuses %j before any AWS call, naming %s', (input, field, words) => {
    const error = rejection(input);

    expect(error.field).toBe(field);
    expect(error.message).toContain(words);
  });
});
