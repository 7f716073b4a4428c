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
  '## 5. Evidence in S3',
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

  // The figures are the bench's to measure: the test checks what a run must hold whatever the machine's load.
  it('sets every fan-out run against its bound and every fleet against the sequential baseline', () => {
    // Assess
    expect(result.fanOut.map((row) => row.fleet)).toEqual(result.baselines.map((row) => row.fleet));
    for (const row of result.fanOut) {
      expect(row.runs).toBeGreaterThan(0);
      expect(row.boundMs).toBeGreaterThan(0);
      expect(row.wallMs).toBeGreaterThan(0);
    }
    for (const row of result.baselines) {
      expect(row.workflowMs).toBeGreaterThan(0);
      expect(row.sequentialMs).toBeGreaterThan(0);
    }
    expect(result.overhead.map((row) => row.fleet)).toEqual(result.fanOut.map((row) => row.fleet));
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

  it('writes every gateway object and the three files of the report, with one S3 call each', () => {
    // Assess
    expect(result.evidence.map((row) => row.scenario)).toEqual(['all succeed', 'every create fails']);
    for (const row of result.evidence) {
      const { gateways } = row.fleet;
      expect(row.s3.calls).toEqual({ PutObject: gateways + 3, GetObject: gateways });
      expect(row.s3.failedCalls).toEqual({});
      expect(row.s3.written).toEqual({
        'gateway objects': { objects: gateways, bytes: expect.any(Number) },
        'report.json': { objects: 1, bytes: expect.any(Number) },
        'manifest.json': { objects: 1, bytes: expect.any(Number) },
        'report.csv': { objects: 1, bytes: expect.any(Number) },
      });
      expect(row.s3.bytesRead).toBe(row.s3.written['gateway objects']?.bytes);
      expect(row.s3.busyMs).toBeGreaterThan(0);
      expect(row.s3.busyMs).toBeLessThanOrEqual(row.s3.callMs);
    }
    const [succeeded] = result.evidence;
    expect(succeeded?.runs).toBe(1);
    expect(succeeded?.wallMs).toBeGreaterThan(0);
    expect(succeeded?.inMemoryWallMs).toBeGreaterThan(0);
  });

  it('names every volume in report.json and keeps the result under 8 KB, failing or not', () => {
    // Assess
    for (const row of result.evidence) {
      const volumes = row.fleet.gateways * row.fleet.volumesPerGateway;
      expect(row.report).toMatchObject({ countsAddUp: true, volumesNamed: volumes, manifestVolumes: volumes });
      expect(row.resultBytes).toBeLessThan(8 * 1024);
      expect(row.largest?.bytes).toBeLessThan(262_144);
      expect(row.largestBeyondGatewayArns?.bytes).toBeLessThanOrEqual(row.largest?.bytes ?? 0);
    }
    const failing = result.evidence.find((row) => row.scenario === 'every create fails');
    const volumes = (failing?.fleet.gateways ?? 0) * (failing?.fleet.volumesPerGateway ?? 0);
    expect(failing).toMatchObject({ status: 'FAILED', report: { failures: volumes, failedVolumesNamed: volumes } });
    expect((failing?.digestFailures ?? 0) + (failing?.moreFailures ?? 0)).toBe(volumes);
  });

  it("prunes the retention section's year of history in a first run that succeeds", () => {
    // Assess
    const { firstRun } = result.retention;
    expect(firstRun.status).toBe('SUCCEEDED');
    expect(firstRun.retention?.deleted).toBeGreaterThan(0);
    expect(firstRun.deleteCalls).toBeGreaterThanOrEqual(firstRun.retention?.deleted ?? 0);
    expect(firstRun.snapshotsAfter).toBeLessThan(firstRun.snapshotsBefore);
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
