import { readFileSync, writeFileSync } from 'node:fs';
import { executionInputTable, TABLE_END, TABLE_START } from './docs.ts';

/** `npm run docs`: rewrites README.md's table of execution input fields from the schema. */
const readme = new URL('../../README.md', import.meta.url);
const text = readFileSync(readme, 'utf8');
const start = text.indexOf(TABLE_START);
const end = text.indexOf(TABLE_END);
if (start < 0 || end < start) throw new Error(`README.md lacks the ${TABLE_START} … ${TABLE_END} markers`);
writeFileSync(readme, `${text.slice(0, start + TABLE_START.length)}\n${executionInputTable()}\n${text.slice(end)}`);
