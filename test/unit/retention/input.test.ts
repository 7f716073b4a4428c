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

  it.each([
    [{ mode: 'governance' }, 'lock', 'exactly one of durationDays and expiresAt'],
    [{ mode: 'governance', durationDays: 3, expiresAt: '2030-01-01T00:00:00Z' }, 'lock', 'exactly one'],
    [{ mode: 'governance', durationDays: 3, coolOffHours: 2 }, 'lock.coolOffHours', 'only for compliance'],
    [{ mode: 'compliance', durationDays: 36_501 }, 'lock.durationDays', ''],
    [{ mode: 'compliance', durationDays: 1, coolOffHours: 73 }, 'lock.coolOffHours', ''],
    [{ mode: 'legal', durationDays: 1 }, 'lock.mode', ''],
  ])('refuses the lock %j, naming %s', (lock, field, words) => {
    const error = rejection({ lock });

    expect(error.field).toBe(field);
    expect(error.message).toContain(words);
  });

  it('takes a compliance lock with a cool-off, or a governance lock until a date', () => {
    expect(parseExecutionInput({ lock: { mode: 'compliance', durationDays: 30, coolOffHours: 24 } }).lock).toEqual({
      mode: 'compliance',
      durationDays: 30,
      coolOffHours: 24,
    });
    expect(parseExecutionInput({ lock: { mode: 'governance', expiresAt: '2030-01-01T00:00:00Z' } }).lock).toEqual({
      mode: 'governance',
      expiresAt: '2030-01-01T00:00:00Z',
    });
  });
});
