import './silence.ts';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { logger } from '../src/lambda/handler.ts';
import { runBench } from './bench.ts';
import { assertWithinBounds, RATE_LIMITED_FULL, renderRateLimited, runRateLimited } from './rate-limited.ts';
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
    /** Only the section "fan-out against the rate-limited emulator", printed; written only to `--out`. */
    'rate-limited': { type: 'boolean', default: false },
  },
});

logger.setLogLevel('SILENT');
const progress = (line: string) => process.stderr.write(`${line}\n`);
// The rate-limited section runs with AWS's retry intervals: alone with --rate-limited, and after the full bench.
const rateLimited = async () => {
  const rows = await runRateLimited(RATE_LIMITED_FULL, progress);
  assertWithinBounds(rows);
  return renderRateLimited(rows);
};
if (values['rate-limited']) {
  const section = await rateLimited();
  process.stdout.write(section);
  if (values.out) await writeFile(values.out, section);
} else {
  const result = await runBench({ plan: values.smoke ? SMOKE_PLAN : FULL_PLAN, smoke: values.smoke, progress });
  const markdown = `${renderResults(result)}\n${values.smoke ? '' : `\n${await rateLimited()}`}`;
  process.stdout.write(markdown);
  const out = values.out ?? (values.smoke ? undefined : DEFAULT_RESULTS_PATH);
  if (out) await writeFile(out, markdown);
  if (values.json) await writeFile(values.json, JSON.stringify(result, null, 2));
}
