import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchResult } from '../../bench/bench.ts';

const run = promisify(execFile);
const BENCH = fileURLToPath(new URL('../../bench/run.ts', import.meta.url));
const SECTIONS = [
  '## 1. Fan-out efficiency',
  '## 2. Engine overhead',
  '## 3. Against what users do today',
  '## 4. Cost per run',
  '## 5. Payload headroom',
  '## 6. Cold start',
];

describe('npm run bench -- --smoke', () => {
  let directory: string;
  let stdout: string;
  let result: BenchResult;

  beforeAll(async () => {
    // Prepare
    directory = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    const json = join(directory, 'result.json');

    // Act
    ({ stdout } = await run(process.execPath, [BENCH, '--smoke', '--json', json], { maxBuffer: 16 * 2 ** 20 }));
    result = JSON.parse(await readFile(json, 'utf8')) as BenchResult;
  }, 180_000);

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('prints every section as a Markdown table', () => {
    // Assess
    for (const heading of SECTIONS) expect(stdout).toContain(heading);
    expect(stdout).toContain('| fleet');
    expect(stdout).not.toMatch(/NaN|undefined/);
  });

  it('times the fan-out against a bound it cannot beat', () => {
    // Assess
    for (const row of result.fanOut) {
      expect(row.boundMs).toBeGreaterThan(0);
      expect(row.ratio).toBeGreaterThanOrEqual(1);
      expect(row.ratio).toBeLessThan(50);
    }
    expect(result.overhead.every((row) => row.msPerVolume > 0)).toBe(true);
  });

  it('finds the workflow faster than the same calls made one after another', () => {
    // Assess
    for (const row of result.baselines) expect(row.sequentialMs).toBeGreaterThan(row.workflowMs);
  });

  it('counts one create per volume, one list per gateway and a few transitions per volume', () => {
    // Assess
    for (const row of result.cost) {
      expect(row.createsPerVolume).toBe(1);
      expect(row.listsPerGateway).toBe(1);
      expect(row.transitionsPerVolume).toBeGreaterThanOrEqual(1);
      expect(row.transitionsPerVolume).toBeLessThan(20);
      expect(row.invocationsPerVolume).toBeGreaterThanOrEqual(1);
    }
  });

  it('accounts for every failed volume under the payload limit', () => {
    // Assess
    const failing = result.payload.filter((row) => row.scenario !== 'all succeed');
    expect(failing.length).toBeGreaterThan(0);
    for (const row of result.payload) expect(row.largest?.bytes).toBeLessThan(262_144);
    for (const row of failing) {
      expect(row.status).toBe('FAILED');
      expect(row.report).toMatchObject({ countsAddUp: true });
      expect(row.report?.volumesNamed).toBe(row.report?.volumes);
    }
  });

  it('bundles and loads every function', () => {
    // Assess
    expect(result.coldStart.map((row) => row.name)).toEqual(expect.arrayContaining(['plan', 'create-snapshot']));
    for (const row of result.coldStart) {
      expect(row.bundleBytes).toBeGreaterThan(1000);
      expect(row.zippedBytes).toBeGreaterThan(0);
      expect(row.zippedBytes).toBeLessThan(row.bundleBytes);
      expect(row.bundledLoadMs).toBeGreaterThan(0);
      expect(row.unbundledLoadMs).toBeGreaterThan(0);
    }
  });
});
