import { spawnSync } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { median } from './stats.ts';

const FUNCTIONS_DIR = new URL('../functions/', import.meta.url).pathname;

/** The esbuild settings of `custom.esbuild` in serverless.yml, so the bundles measured are the ones deployed. */
export const DEPLOYED_BUILD_OPTIONS = {
  bundle: true,
  minify: true,
  keepNames: true,
  sourcemap: false,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  outExtension: { '.js': '.mjs' },
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
} as const satisfies BuildOptions;

// Runs in a fresh Node process: the time of the import alone, without Node's own start-up.
const LOAD_SCRIPT = 'const t = performance.now(); await import(process.argv[1]); console.log(performance.now() - t);';

export interface FunctionColdStart {
  name: string;
  bundleBytes: number;
  /** The bundle deflated as a deployment zip stores it: what Lambda downloads. */
  zippedBytes: number;
  /** The packages (or our own folders) that take the most of the bundle, largest first, in bytes. */
  largestParts: Array<{ part: string; bytes: number }>;
  bundledLoadMs: number;
  unbundledLoadMs: number;
}

/** Bundles every `functions/<name>/handler.ts` into `outdir` and times loading each, bundled and not. */
export async function measureColdStarts(outdir: string, runs: number): Promise<FunctionColdStart[]> {
  const names = (await readdir(FUNCTIONS_DIR, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const { metafile } = await build({
    ...DEPLOYED_BUILD_OPTIONS,
    entryPoints: Object.fromEntries(names.map((name) => [name, join(FUNCTIONS_DIR, name, 'handler.ts')])),
    outdir,
    metafile: true,
    logLevel: 'error',
  });
  const results: FunctionColdStart[] = [];
  for (const name of names.sort()) {
    const bundle = join(outdir, `${name}.mjs`);
    const source = join(FUNCTIONS_DIR, name, 'handler.ts');
    // One untimed load of each first, so neither side pays for a cold disk cache.
    loadMs(bundle);
    loadMs(source);
    const bundled: number[] = [];
    const unbundled: number[] = [];
    // Alternated, so a slow moment of the machine hits both sides alike.
    for (let run = 0; run < runs; run += 1) {
      bundled.push(loadMs(bundle));
      unbundled.push(loadMs(source));
    }
    results.push({
      name,
      bundleBytes: (await stat(bundle)).size,
      zippedBytes: deflateRawSync(await readFile(bundle), { level: 9 }).length,
      largestParts: largestParts(metafile, bundle),
      bundledLoadMs: median(bundled),
      unbundledLoadMs: median(unbundled),
    });
  }
  return results;
}

/** Imports `file` in a new Node process (the one running the bench) and returns the import's milliseconds. */
function loadMs(file: string): number {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', LOAD_SCRIPT, pathToFileURL(file).href], {
    encoding: 'utf8',
    // As on Lambda: a Region is set, and nothing is logged at load.
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  const ms = Number(child.stdout.trim());
  if (child.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`Loading ${file} failed (exit ${child.status}): ${child.stderr.trim()}`);
  }
  return ms;
}

const LARGEST_PARTS = 3;

/** Bytes of the bundle by package (`zod`, `@aws-sdk/client-ec2`) or, for our code, by top folder (`src`). */
function largestParts(metafile: Metafile, bundle: string): FunctionColdStart['largestParts'] {
  const output = Object.entries(metafile.outputs).find(([path]) => basename(path) === basename(bundle))?.[1];
  const parts = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const part = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/')[0] ?? input;
    parts.set(part, (parts.get(part) ?? 0) + bytesInOutput);
  }
  return [...parts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, LARGEST_PARTS)
    .map(([part, bytes]) => ({ part, bytes }));
}
