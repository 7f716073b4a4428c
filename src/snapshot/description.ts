/** Placeholders a snapshot description template may use. */
export const DESCRIPTION_PLACEHOLDERS = ['volumeId', 'gatewayId', 'recoveryPointTime', 'executionName'] as const;
export type DescriptionValues = Record<(typeof DESCRIPTION_PLACEHOLDERS)[number], string>;

/** Storage Gateway accepts snapshot descriptions of 1 to 255 characters. */
export const MAX_DESCRIPTION_LENGTH = 255;

// The longest value each placeholder can take: resource IDs, an ISO time, a Step Functions execution name.
const LONGEST_VALUE: Record<keyof DescriptionValues, number> = {
  volumeId: 21,
  gatewayId: 21,
  recoveryPointTime: 30,
  executionName: 80,
};

/** The longest description a template can render to. */
export function maxRenderedDescriptionLength(template: string): number {
  return template.replace(/\{(\w+)\}/g, (_, name: keyof DescriptionValues) => 'x'.repeat(LONGEST_VALUE[name] ?? 0))
    .length;
}

/** Fills the template's placeholders; the result always fits the API's 1–255 characters. */
export function renderDescription(template: string, values: DescriptionValues): string {
  const text = template.replace(/\{(\w+)\}/g, (_, name: keyof DescriptionValues) => values[name] ?? '');
  return (text.trim() || values.volumeId).slice(0, MAX_DESCRIPTION_LENGTH);
}
