import { MAX_CAUSE_LENGTH, readableCause } from '../../../src/report/cause.ts';

describe('readableCause', () => {
  it("keeps only the errorMessage of a Lambda error's JSON cause", () => {
    // Prepare
    const cause = JSON.stringify({
      errorType: 'InvalidGatewayRequestException',
      errorMessage: 'The specified gateway is not connected.',
      trace: [
        'InvalidGatewayRequestException: The specified gateway is not connected.',
        '    at de_InvalidGatewayRequestExceptionRes (…)',
      ],
    });

    // Act
    const text = readableCause(cause);

    // Assess
    expect(text).toBe('The specified gateway is not connected.');
  });

  it.each([
    ['plain text', 'Task timed out after 60.00 seconds'],
    ['JSON without errorMessage', '{"reason":"unknown"}'],
    ['text that only starts like JSON', '{not json at all'],
  ])('keeps %s as it is', (_case, cause) => {
    // Act
    const text = readableCause(cause);

    // Assess
    expect(text).toBe(cause);
  });

  it('gives an absent cause as empty text', () => {
    // Act
    const text = readableCause(undefined);

    // Assess
    expect(text).toBe('');
  });

  it('cuts a long cause to the limit, marking the cut', () => {
    // Act
    const cut = readableCause('x'.repeat(MAX_CAUSE_LENGTH + 1));
    const whole = readableCause('x'.repeat(MAX_CAUSE_LENGTH));
    const short = readableCause(JSON.stringify({ errorMessage: 'abcdefghij' }), 5);

    // Assess
    expect(cut).toHaveLength(MAX_CAUSE_LENGTH);
    expect(cut.endsWith('…')).toBe(true);
    expect(whole).toBe('x'.repeat(MAX_CAUSE_LENGTH));
    expect(short).toBe('abcd…');
  });
});
