import { INVALID_INPUT, InvalidInputError } from '../../../src/errors.ts';
import {
  checkPlannedStateSize,
  completionChecks,
  MAX_COMPLETION_CHECKS,
  MAX_PLANNED_STATE_BYTES,
} from '../../../src/input/limits.ts';
import { parseExecutionInput } from '../../../src/input/parse.ts';
import { MAX_VOLUME_ARNS } from '../../../src/input/schema.ts';
import { GATEWAY_ARN, volumeArn } from '../../helpers/fixtures.ts';

/**
 * A plan whose options name `count` volumes. Past what the schema lets through (150), the options are built by
 * hand: the check is the last guard, for whatever a future field or a discovery adds.
 */
function planWith(count: number) {
  const volumeArns = Array.from({ length: count }, (_, i) => volumeArn(`vol-${String(i).padStart(8, '0')}`));
  const options =
    count <= MAX_VOLUME_ARNS ? parseExecutionInput({ volumeArns }) : { ...parseExecutionInput({}), volumeArns };
  return { options, gatewayArns: [GATEWAY_ARN] };
}
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('completionChecks', () => {
  it.each([
    [360, 60, 361],
    [1, 1, 61],
    [1999, 60, MAX_COMPLETION_CHECKS],
    [0.5, 7, 6],
  ])('counts the polls of a %s-minute wait every %s s, the first at once: %s', (minutes, seconds, checks) => {
    expect(completionChecks(minutes, seconds)).toBe(checks);
  });
});

describe('checkPlannedStateSize', () => {
  it('accepts a plan that fits the state, however many volumes it names', () => {
    // Prepare
    const plan = planWith(MAX_VOLUME_ARNS);

    // Act + Assess
    expect(bytes(plan)).toBeLessThan(MAX_PLANNED_STATE_BYTES);
    expect(() => checkPlannedStateSize(plan)).not.toThrow();
  });

  it('refuses a plan past the limit with InvalidInput naming the field that takes most of it', () => {
    // Prepare
    const plan = planWith(Math.ceil(MAX_PLANNED_STATE_BYTES / (volumeArn('vol-00000000').length + 3)));

    // Act
    let error: unknown;
    try {
      checkPlannedStateSize(plan);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(bytes(plan)).toBeGreaterThan(MAX_PLANNED_STATE_BYTES);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ name: INVALID_INPUT, field: 'volumeArns' });
    expect((error as Error).message).toContain(String(bytes(plan)));
  });
});
