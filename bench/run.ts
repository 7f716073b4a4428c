import './silence.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { logger } from '../src/lambda/handler.ts';
import { loadDefinition } from '../src/statemachine/definition.ts';
import { snapshotWorkflow } from '../src/workflow/snapshot.ts';
import { runBench } from './bench.ts';
import { renderResults } from './render.ts';
import { measureRetention, retentionSection } from './retention.ts';
import { FULL_PLAN, SMOKE_PLAN } from './scenarios.ts';

const DEFAULT_RESULTS_PATH = new URL('./RESULTS.md', import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    /** Where the Markdown goes; a smoke run writes nothing unless told. */
    out: { type: 'string' },
    /** The raw figures as JSON, for the smoke test. */
    json: { type: 'string' },
    /** `retention`: run that section alone and replace it in RESULTS.md (the whole bench takes 12 minutes). */
    only: { type: 'string' },
  },
});

logger.setLogLevel('SILENT');
if (values.only === 'retention') {
  const workDir = await mkdtemp(join(tmpdir(), 'sgw-bench-'));
  try {
    const plan = values.smoke ? SMOKE_PLAN : FULL_PLAN;
    const definition = loadDefinition(snapshotWorkflow.definitionUrl);
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    const section = retentionSection(await measureRetention({ definition, workDir, ...plan.retention, progress }));
    process.stdout.write(section);
    const out = values.out ?? (values.smoke ? undefined : DEFAULT_RESULTS_PATH);
    if (out) await writeFile(out, spliceSection(await readFile(out, 'utf8'), section));
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
} else {
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
}

/** `markdown` with its section of the same `## N.` heading replaced by `section`, or `section` appended. */
function spliceSection(markdown: string, section: string): string {
  const heading = section.slice(0, section.indexOf('\n'));
  const start = markdown.indexOf(heading);
  if (start < 0) return `${markdown.trimEnd()}\n\n${section}`;
  const next = markdown.indexOf('\n## ', start + heading.length);
  return markdown.slice(0, start) + section + (next < 0 ? '' : markdown.slice(next + 1));
}
