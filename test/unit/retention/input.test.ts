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

describe('the retention input', () => {
  it('is absent by default: nothing is deleted', () => {
    expect(parseExecutionInput({}).retention).toBeUndefined();
  });

  it('takes restic’s field names and defaults the time zone to UTC', () => {
    const options = parseExecutionInput({ retention: { keepLast: 4, keepDaily: 7, maxAgeDays: 400 } });

    expect(options.retention).toEqual({ keepLast: 4, keepDaily: 7, maxAgeDays: 400, timeZone: 'UTC' });
  });

  it.each([
    [{}, 'retention', 'at least one rule'],
    [{ timeZone: 'Europe/Berlin' }, 'retention', 'at least one rule'],
    [{ keepDaily: 7, timeZone: 'CEST' }, 'retention.timeZone', 'IANA time zone'],
    [{ keepDaily: 0 }, 'retention.keepDaily', ''],
    [{ keepDaily: 1.5 }, 'retention.keepDaily', ''],
    [{ keepDialy: 7 }, 'retention.keepDialy', 'keepDialy'],
  ])('refuses %j, naming %s', (retention, field, words) => {
    const error = rejection({ retention });

    expect(error.field).toBe(field);
    expect(error.message).toContain(words);
  });
});
