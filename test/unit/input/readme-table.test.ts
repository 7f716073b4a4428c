import { readFileSync } from 'node:fs';
import { executionInputTable, GENERATED_TABLES, TABLE_END, TABLE_START } from '../../../src/input/docs.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

function between(start: string, end: string): string {
  return readme.slice(readme.indexOf(start) + start.length, readme.indexOf(end)).trim();
}

describe('the README table of execution input fields', () => {
  it('is the one generated from the schema (run `npm run docs` after changing the schema)', () => {
    // Act
    const table = between(TABLE_START, TABLE_END);

    // Assess
    expect(table).toBe(executionInputTable());
    expect(table).toContain('`policy.minAgeMinutes`');
  });
});

describe('the README tables of the fleet file and the fault file', () => {
  it.each(GENERATED_TABLES.map((t) => [t.start, t] as const))('%s is generated from its schema', (_, generated) => {
    // Act
    const table = between(generated.start, generated.end);

    // Assess
    expect(readme).toContain(generated.start);
    expect(table).toBe(generated.table());
  });

  it('documents nested fields of lists as dotted paths', () => {
    // Assess
    expect(readme).toContain('`gateways[].volumes[].recoveryPointAgeMinutes`');
    expect(readme).toContain('`rateLimit.perSecond`');
  });
});
