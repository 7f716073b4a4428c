import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runLocally } from '../../src/cli/commands/run.ts';
import { readerOf } from '../../src/cli/evidence.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { ExitCode } from '../../src/errors.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { createEmulator, volumeArnOf } from '../../src/local/emulator/index.ts';
import { generateFleet } from '../../src/local/fleet.ts';
import { createLocalS3Client, createLocalS3Server, S3_DIRECTORY_VARIABLE } from '../../src/local/s3-server.ts';
import type { ExecutionReport } from '../../src/report/execution-report.ts';

const run = promisify(execFile);

/** A CliIo that keeps what the command writes. */
function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env,
    out: () => out,
    err: () => err,
  };
}

describe('sgw-snap run --local', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-run-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the demo fleet and prints the progress, a table per gateway and the skip reasons', async () => {
    // Prepare
    const io = captureIo();

    // Act
    const code = await runLocally({ local: true, input: '{}' }, io);

    // Assess
    expect(code).toBe(ExitCode.Succeeded);
    expect(io.err()).toMatch(/gateways 4 · created 11 · existing 0 · skipped 1 · failed 0/);
    expect(io.out()).toMatch(/SUCCEEDED/);
    // gateway, name, created, existing, skipped, failed, and how many of its volumes can be restored
    expect(io.out()).toMatch(/sgw-12A3456B\s+branch-office-1\s+3\s+0\s+1\s+0\s+3/);
    expect(io.out()).toMatch(/below-min-usage\s+1/);
    expect(io.out()).toContain('11 of 12 volumes in scope have a snapshot to restore from');
    expect(io.out()).toMatch(/Evidence: s3:\/\/sgw-snap-evidence\/executions\/sgw-recovery-snapshots\/[^/]+\//);
  });

  it('prints with --json the complete report.json it wrote, every recovery point of a 400-volume fleet', async () => {
    // Prepare: 20 gateways of 20 volumes, the fleet whose payload-sized report once lost snapshots.
    const fleetPath = join(dir, 'fleet.json');
    await writeFile(fleetPath, JSON.stringify(generateFleet({ gateways: 20, volumesPerGateway: 20 })));
    const s3Directory = join(dir, 's3');
    const io = captureIo({ [S3_DIRECTORY_VARIABLE]: s3Directory });

    // Act
    const code = await runLocally({ local: true, fleet: fleetPath, name: 'json-400', json: true }, io);

    // Assess
    expect(code).toBe(ExitCode.Succeeded);
    const printed = JSON.parse(io.out()) as ExecutionReport;
    expect(printed.summary).toMatchObject({ recoveryPoints: 400, created: 400, volumes: 400 });
    expect(new Set(printed.snapshots.map((s) => s.volumeArn)).size).toBe(400);
    expect(printed.manifest.flatMap((g) => g.volumes).filter((v) => v.snapshotId)).toHaveLength(400);
    const server = createLocalS3Server({ directory: s3Directory, buckets: [] });
    const { url } = await server.listen();
    const s3 = createLocalS3Client(url, 'us-east-1');
    try {
      const stored = await readerOf(createEvidenceStore({ s3 }), url).readReportAt(printed.evidence?.report ?? '');
      expect(printed).toEqual(stored);
      expect(printed.evidence?.report).toBe(
        's3://sgw-snap-evidence/executions/sgw-recovery-snapshots/json-400/report.json',
      );
    } finally {
      s3.destroy();
      await server.close();
    }
  });

  it('prints only the report with --json', async () => {
    // Prepare
    const io = captureIo();

    // Act
    const code = await runLocally({ local: true, input: '{"dryRun":true}', json: true }, io);

    // Assess
    expect(code).toBe(ExitCode.Succeeded);
    const report = JSON.parse(io.out()) as ExecutionReport;
    expect(report).toMatchObject({ dryRun: true, summary: { gateways: 4, wouldCreate: 11, created: 0 } });
    expect(io.err()).toBe('');
  });

  it.each([
    ['malformed JSON', { local: true, input: '{nope' }, /--input: not valid JSON/],
    ['an unreadable input file', { local: true, input: '@/nonexistent/drill.json' }, /--input: cannot read/],
    ['a missing fleet file', { local: true, fleet: '/nonexistent/fleet.json' }, /--fleet/],
    ['no --local', {}, /needs --local/],
  ])('exits 2 with a message on %s', async (_, options, message) => {
    // Prepare
    const io = captureIo();

    // Act
    const code = await runLocally(options, io);

    // Assess
    expect(code).toBe(ExitCode.Usage);
    expect(io.err()).toMatch(message);
  });

  it('exits 1 and still prints the report when a volume fails, using the endpoint from the environment', async () => {
    // Prepare: an emulator of the user's, named by AWS_ENDPOINT_URL_STORAGE_GATEWAY.
    const fleet = generateFleet({ gateways: 1, volumesPerGateway: 3 });
    const broken = volumeArnOf(fleet, fleet.gateways[0]?.id ?? '', fleet.gateways[0]?.volumes[0]?.id ?? '');
    const emulator = createEmulator({
      fleet,
      faults: [
        {
          operation: 'CreateSnapshotFromVolumeRecoveryPoint',
          volumeArn: broken,
          error: 'InvalidGatewayRequestException',
        },
      ],
    });
    const { url } = await emulator.listen();
    const io = captureIo({ AWS_ENDPOINT_URL_STORAGE_GATEWAY: url, AWS_ENDPOINT_URL_EC2: url });

    try {
      // Act
      const code = await runLocally({ local: true }, io);

      // Assess
      expect(code).toBe(ExitCode.Failed);
      expect(io.err()).toMatch(/created 2 · existing 0 · skipped 0 · failed 1/);
      expect(io.out()).toMatch(/FAILED/);
      expect(io.out()).toMatch(/InvalidGatewayRequestException/);
      expect(emulator.snapshots()).toHaveLength(2);
    } finally {
      await emulator.close();
    }
  });

  it('is what `npm start` runs: the bin works in a fresh Node process', async () => {
    // Act
    const { stdout } = await run(process.execPath, ['bin/sgw-snap.ts', 'run', '--local', '--json'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { PATH: process.env.PATH ?? '', [S3_DIRECTORY_VARIABLE]: join(dir, 's3') },
    });

    // Assess
    expect((JSON.parse(stdout) as ExecutionReport).summary.created).toBe(11);
  });
});
