import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { Command } from 'commander';
import { registerRunCommand } from '../../src/cli/commands/run.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { runProgram } from '../../src/cli/program.ts';
import { ExitCode } from '../../src/errors.ts';
import { loadFleet } from '../../src/local/fleet.ts';
import { DEMO_FLEET_PATH, startLocalStack } from '../../src/local/stack.ts';
import { driveCli } from '../helpers/drive-cli.ts';
import '../helpers/isolated-home.ts';
import { type ServedCli, serveForCli } from '../helpers/served-cli.ts';

const exec = promisify(execFile);
const ESC = String.fromCharCode(27);
const COLOUR = new RegExp(`${ESC}\\[(1|2|3[0-9])m`);
const CURSOR_UP = `${ESC}[1A`;
const CLEAR_DOWN = `${ESC}[0J`;

/** What stays on the screen after the live area was last cleared: the final lines, without colour. */
function afterLastClear(output: string): string {
  return stripVTControlCharacters(output.slice(output.lastIndexOf(CLEAR_DOWN) + CLEAR_DOWN.length));
}

/** The environment of a child process without the colour variables of this one (jest may set FORCE_COLOR). */
function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}
const ERROR_VOLUME = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-0A1B2C3D/volume/vol-0A000001';
const BAD_DAY = ['--fleet', 'examples/fleet.json', '--faults', 'examples/faults.json'];

/** Runs `sgw-snap run …` in this process with a stderr that says it is a terminal; one volume's snapshots end in `error`. */
async function runOnATerminal(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: true },
    env: {},
  };
  const program = new Command('sgw-snap').exitOverride();
  registerRunCommand(program, io, {
    startStack: async (options) => {
      const stack = await startLocalStack(options);
      stack.emulator?.failSnapshots(ERROR_VOLUME);
      return stack;
    },
  });
  const before = process.exitCode;
  try {
    await runProgram(['node', 'sgw-snap', 'run', '--local', ...args], program);
    return { exitCode: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.exitCode = before;
  }
}

/** Runs the bin with its stderr on a pseudo-terminal (`script` from util-linux), stdout discarded. */
async function runInPty(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await exec('script', ['-q', '-e', '-c', `${command} 2>&1 >/dev/null`, '/dev/null'], {
    env,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout: string }) => error);
  return stdout;
}

describe('the terminal', () => {
  it('keeps the live figures in step with the report on a run with failures and a snapshot that ends in error', async () => {
    // Act
    const run = await runOnATerminal([...BAD_DAY, '--input', '{"waitForCompletion":true}']);

    // Assess
    expect(run.exitCode).toBe(ExitCode.Failed);
    const stderr = stripVTControlCharacters(run.stderr);
    const finalLine = afterLastClear(run.stderr).trim();
    expect(finalLine).toBe('gateways 2 · created 3 · existing 0 · skipped 0 · failed 2 · retries 2');
    expect(run.stdout).toContain('5 recovery points: 3 created, 0 existing, 0 skipped, 2 failed');
    // The error snapshot is moved to failed live, when the wait sees it, not by the final reconciliation.
    expect(stderr).toContain('FAILED 1 snapshot ended in error or did not complete in time');
    expect(stderr).toContain('5/5 volumes done · 2 failed');
    expect(stderr).not.toContain('corrected from the report');
    expect(stderr).toMatch(
      /retrying ListRecoveryPoints for gateway sgw-0A1B2C3D after ThrottlingException: ThrottlingException injected/,
    );
    expect(stderr).toContain('FAILED vol-0E000002 on sgw-0E1F2A3B (warehouse): InvalidGatewayRequestException');
    expect(run.stderr).toContain(CURSOR_UP);
    expect(run.stderr).toMatch(COLOUR);
  });

  it('draws one live area with colour on a pseudo-terminal, and no colour there with NO_COLOR', async () => {
    // Prepare: the figures follow the demo fleet `run --local` serves: its cached gateways, those without volumes
    // too (stored and file gateways are out of scope); the default policy skips the volumes that hold no bytes
    // (minUsageBytes 1) and snapshots the rest.
    const cached = (await loadFleet(DEMO_FLEET_PATH)).gateways.filter((gateway) => gateway.type === 'CACHED');
    const gateways = cached.length;
    const volumes = cached.flatMap((gateway) => gateway.volumes);
    const empty = volumes.filter((volume) => volume.usageBytes === 0).length;
    const created = volumes.length - empty;

    // Act
    const coloured = await runInPty('node bin/sgw-snap.ts run --local', envWithout('NO_COLOR', 'FORCE_COLOR'));
    const plain = await runInPty('node bin/sgw-snap.ts run --local', { ...envWithout('FORCE_COLOR'), NO_COLOR: '1' });

    // Assess
    expect(empty).toBeGreaterThan(0);
    for (const output of [coloured, plain]) {
      expect(output).toContain(CURSOR_UP);
      expect(stripVTControlCharacters(output)).toMatch(
        new RegExp(`\\d+/${created} volumes done · 0 failed · elapsed [\\d.]+ m?s · ETA`),
      );
      expect(afterLastClear(output).trim()).toBe(
        `gateways ${gateways} · created ${created} · existing 0 · skipped ${empty} · failed 0 · retries 0`,
      );
    }
    expect(coloured).toMatch(COLOUR);
    expect(plain).not.toMatch(COLOUR);
  });

  it('writes plain status lines on a pipe, no escape codes, and nothing but errors with --json', async () => {
    // Prepare: each call answers after 60 ms, so the run outlasts a few 100 ms status intervals.
    const env = { ...envWithout('NO_COLOR', 'FORCE_COLOR'), SGW_SNAP_PROGRESS_MS: '100' };
    const slow = ['--fleet', 'examples/fleet.json', '--faults', 'test/fixtures/slow-faults.json'];

    // Act
    const piped = await exec(process.execPath, ['bin/sgw-snap.ts', 'run', '--local', ...slow], { env });
    const json = await exec(process.execPath, ['bin/sgw-snap.ts', 'run', '--local', '--json', ...slow], { env });

    // Assess
    expect(piped.stderr).not.toContain(ESC);
    const statusLines = piped.stderr.split('\n').filter((line) => /volumes done/.test(line));
    expect(statusLines.length).toBeGreaterThanOrEqual(2);
    expect(piped.stderr.trim().split('\n').at(-1)).toBe(
      'gateways 2 · created 5 · existing 0 · skipped 0 · failed 0 · retries 0',
    );
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout).summary.created).toBe(5);
  });
});

describe('gateway names beside their IDs in the live lines', () => {
  let dir: string;
  let served: ServedCli | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-names-'));
  });
  afterAll(async () => {
    await served?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('run --local names each gateway from its listing on: list lines, snapshots, failures', async () => {
    // Act
    const run = await runOnATerminal([...BAD_DAY, '--verbose']);

    // Assess
    const stderr = stripVTControlCharacters(run.stderr);
    expect(stderr).toMatch(/gateway sgw-0A1B2C3D \(head-office\): \d+ recovery points/);
    expect(stderr).toMatch(/snapshot snap-\w+ of vol-0A000001 on sgw-0A1B2C3D \(head-office\)/);
    expect(stderr).toContain('FAILED vol-0E000002 on sgw-0E1F2A3B (warehouse): InvalidGatewayRequestException');
  });

  it('start --wait and restore --wait read the names from the history: the list step and the manifest', async () => {
    // Prepare
    served = await serveForCli({ s3Directory: join(dir, 's3') });

    // Act
    const start = await driveCli(['start', '--name', 'named', '--wait', '--verbose'], served.env);
    const restore = await driveCli(
      ['restore', '--from', 'named', '--to-ebs', 'us-east-1a', '--test', '--wait', '--verbose'],
      served.env,
    );

    // Assess
    expect(start.exitCode).toBe(ExitCode.Succeeded);
    expect(start.stderr).toMatch(/gateway sgw-12A3456B \(branch-office-1\): \d+ recovery points/);
    expect(start.stderr).toMatch(/snapshot snap-\w+ of vol-1122AABB on sgw-12A3456B \(branch-office-1\)/);
    expect(restore.exitCode).toBe(ExitCode.Succeeded);
    expect(restore.stderr).toMatch(
      /creating vol-\w+ from snap-\w+ \(vol-1122AABB on sgw-12A3456B \(branch-office-1\)\)/,
    );
    expect(restore.stdout).toMatch(
      /^vol-1122AABB on sgw-12A3456B \(branch-office-1\) {2}snap-\w+ → vol-\w+ {2}RESTORED/m,
    );
    // The restore's progress ends, as start's does, on its counts.
    expect(restore.stderr.trim().split('\n').at(-1)).toBe(
      'volumes 11 · requested 11 · usable 11 · failed 0 · deleted 11 · retries 0',
    );
  });
});
