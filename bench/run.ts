import './silence.ts';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { logger } from '../src/lambda/handler.ts';
import { runBench } from './bench.ts';
import { renderResults } from './render.ts';
import { FULL_PLAN, SMOKE_PLAN } from './scenarios.ts';

const DEFAULT_RESULTS_PATH = new URL('./RESULTS.md', import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    /** Where the Markdown goes; a smoke run writes nothing unless told. */
    out: { type: 'string' },
    /** The raw figures as JSON, for the smoke test. */
    json: { type: 'string' },
  },
});

logger.setLogLevel('SILENT');
const result = await runBench({
  plan: values.smoke ? SMOKE_PLAN : FULL_PLAN,
  smoke: values.smoke,
  progress: (line) => process.stderr.write(`${line}\n`),
});
const markdown = `${renderResults(result)}\n`;
process.stdout.write(markdown);
const out = values.out ?? (values.smoke ? undefined : DEFAULT_RESULTS_PATH);
if (out) await writeFile(out, markdown);
if (values.json) await writeFile(values.json, JSON.stringify(result, null, 2));
