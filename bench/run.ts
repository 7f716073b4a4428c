import './silence.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { logger } from '../src/lambda/handler.ts';
import { loadDefinition } from '../src/statemachine/definition.ts';
import { snapshotWorkflow } from '../src/workflow/snapshot.ts';
import { runBench } from './bench.ts';
import { copiesSection, measureCopies } from './copies.ts';
import { assertWithinBounds, RATE_LIMITED_FULL, renderRateLimited, runRateLimited } from './rate-limited.ts';
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
    /**
     * One section alone (`rate-limited`, `retention`), spliced into RESULTS.md in place of its last run; the
     * whole bench takes about 12 minutes and appends every section.
     */
    only: { type: 'string' },
  },
});

logger.setLogLevel('SILENT');
const progress = (line: string) =>
  process.stderr.write(`${line}
`);
const plan = values.smoke ? SMOKE_PLAN : FULL_PLAN;

/** The sections that run after the main figures, each also alone with `--only <name>`. */
const SECTIONS: Readonly<Record<string, () => Promise<string>>> = {
  // With AWS's retry intervals: the point of the section is what real backoff carries through a rate limit. A failed
  // volume, or more DescribeSnapshots than the bound, fails the bench.
  'rate-limited': async () => {
    const rows = await runRateLimited(RATE_LIMITED_FULL, progress);
    assertWithinBounds(rows);
    return renderRateLimited(rows);
  },
  retention: async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'sgw-bench-'));
    try {
      const definition = loadDefinition(snapshotWorkflow.definitionUrl);
      return retentionSection(await measureRetention({ definition, workDir, ...plan.retention, progress }));
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
  // Copies (issue 13): copies per minute through EC2's concurrent-copy limit, at 3,200 volumes.
  copies: async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'sgw-bench-'));
    try {
      const definition = loadDefinition(snapshotWorkflow.definitionUrl);
      return copiesSection(await measureCopies({ definition, workDir, ...plan.copies, progress }));
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
};

const out = values.out ?? (values.smoke ? undefined : DEFAULT_RESULTS_PATH);
if (values.only !== undefined) {
  const section = SECTIONS[values.only];
  if (!section) throw new Error(`--only: must be one of ${Object.keys(SECTIONS).join(', ')}`);
  const markdown = await section();
  process.stdout.write(markdown);
  if (out) await writeFile(out, spliceSection(await readFile(out, 'utf8').catch(() => ''), markdown));
} else {
  const result = await runBench({ plan, smoke: values.smoke, progress });
  const sections: string[] = [];
  // One after another: each section's timings are worth something only on an otherwise idle machine.
  for (const run of values.smoke ? [] : Object.values(SECTIONS)) sections.push(await run());
  const markdown = `${[renderResults(result), ...sections].join('\n')}\n`;
  process.stdout.write(markdown);
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
