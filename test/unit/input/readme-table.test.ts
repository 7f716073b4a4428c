import { readFileSync } from 'node:fs';
import { executionInputTable, TABLE_END, TABLE_START } from '../../../src/input/docs.ts';

describe('the README table of execution input fields', () => {
  it('is the one generated from the schema (run `npm run docs` after changing the schema)', () => {
    // Prepare
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

    // Act
    const table = readme.slice(readme.indexOf(TABLE_START) + TABLE_START.length, readme.indexOf(TABLE_END)).trim();

    // Assess
    expect(table).toBe(executionInputTable());
    expect(table).toContain('`policy.minAgeMinutes`');
  });
});
