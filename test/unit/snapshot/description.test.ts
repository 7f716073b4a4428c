import { DEFAULT_SNAPSHOT_DESCRIPTION } from '../../../src/input/schema.ts';
import {
  type DescriptionValues,
  MAX_DESCRIPTION_LENGTH,
  maxRenderedDescriptionLength,
  renderDescription,
} from '../../../src/snapshot/description.ts';

const VALUES: DescriptionValues = {
  volumeId: 'vol-1122AABB',
  gatewayId: 'sgw-12A3456B',
  recoveryPointTime: '2025-01-15T11:00:00.000Z',
  executionName: 'run-1',
};

/** The longest value each placeholder can take on AWS. */
const LONGEST: DescriptionValues = {
  volumeId: 'vol-0123456789abcdef0',
  gatewayId: 'sgw-0123456789abcdef0',
  recoveryPointTime: '2025-01-15T11:00:00.000+05:30',
  executionName: 'e'.repeat(80),
};

describe('renderDescription', () => {
  it('fills every placeholder of the default template', () => {
    // Act
    const text = renderDescription(DEFAULT_SNAPSHOT_DESCRIPTION, VALUES);

    // Assess
    expect(text).toBe('Recovery point 2025-01-15T11:00:00.000Z of vol-1122AABB on sgw-12A3456B by run-1');
  });

  it('fills a placeholder used twice and leaves text around it alone', () => {
    // Act
    const text = renderDescription('{volumeId}/{volumeId} ($& {gatewayId})', VALUES);

    // Assess
    expect(text).toBe('vol-1122AABB/vol-1122AABB ($& sgw-12A3456B)');
  });

  it('does not read placeholders inside the values it inserts', () => {
    // Act
    const text = renderDescription('{executionName} on {gatewayId}', { ...VALUES, executionName: '{volumeId}' });

    // Assess
    expect(text).toBe('{volumeId} on sgw-12A3456B');
  });

  it('cuts a description to the 255 characters Storage Gateway accepts', () => {
    // Act
    const text = renderDescription(`${'d'.repeat(250)} {volumeId}`, VALUES);

    // Assess
    expect(text).toHaveLength(MAX_DESCRIPTION_LENGTH);
    expect(text.startsWith('d'.repeat(250))).toBe(true);
  });

  it('falls back to the volume ID when the rendered text is blank', () => {
    // Act
    const text = renderDescription('   ', VALUES);

    // Assess
    expect(text).toBe('vol-1122AABB');
  });
});

describe('maxRenderedDescriptionLength', () => {
  it('is never shorter than a rendering with the longest values', () => {
    // Prepare
    const templates = [
      DEFAULT_SNAPSHOT_DESCRIPTION,
      '{executionName}{executionName}',
      'plain text',
      '{recoveryPointTime}',
    ];

    // Act
    const pairs = templates.map((t) => [maxRenderedDescriptionLength(t), renderDescription(t, LONGEST).length]);

    // Assess
    for (const [bound, rendered] of pairs) expect(bound).toBeGreaterThanOrEqual(rendered ?? Infinity);
  });

  it('keeps the default template within the limit', () => {
    // Act
    const longest = maxRenderedDescriptionLength(DEFAULT_SNAPSHOT_DESCRIPTION);

    // Assess
    expect(longest).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
  });
});
