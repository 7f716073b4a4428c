import { readFileSync, writeFileSync } from 'node:fs';
import { GENERATED_TABLES } from './docs.ts';

/** `npm run docs`: rewrites README.md's tables of execution input, fleet and fault-rule fields from their schemas. */
const readme = new URL('../../README.md', import.meta.url);
let text = readFileSync(readme, 'utf8');
for (const { start: startMarker, end: endMarker, table } of GENERATED_TABLES) {
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${startMarker} … ${endMarker} markers`);
  text = `${text.slice(0, start + startMarker.length)}\n${table()}\n${text.slice(end)}`;
}
writeFileSync(readme, text);
