import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RESTORE_STATE_MACHINE } from '../../src/cli/commands/restore.ts';
import { ExitCode } from '../../src/errors.ts';
import type { RestoreReport } from '../../src/restore/report.ts';
import { driveCli } from '../helpers/drive-cli.ts';
import { DR_GATEWAY_ARN, DR_NETWORK_INTERFACE } from '../helpers/local-restore.ts';
import { type ServedCli, serveForCli } from '../helpers/served-cli.ts';

const TO_DR = ['--to-gateway', DR_GATEWAY_ARN, '--network-interface', DR_NETWORK_INTERFACE];

describe('sgw-snap restore against sgw-snap serve', () => {
  let served: ServedCli | undefined;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-restore-'));
  });
  afterEach(async () => {
    await served?.close();
    served = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it("restore-tests a run's snapshots to the DR gateway: JSON names each volume's snapshot, the drill report its RTO and cleanup", async () => {
    // Prepare
    served = await serveForCli({ s3Directory: join(dir, 's3') });
    await driveCli(['start', '--name', 'nightly-1', '--wait'], served.env);
    const reportPath = join(dir, 'restore-drill.md');

    // Act
    const check = await driveCli(['restore', '--from', 'nightly-1', ...TO_DR, '--check', '--wait'], served.env);
    const run = await driveCli(
      [
        'restore',
        '--from',
        'nightly-1',
        ...TO_DR,
        '--test',
        '--wait',
        '--json',
        '--report',
        reportPath,
        '--rto-target',
        '5',
      ],
      served.env,
    );

    // Assess
    expect(check.exitCode).toBe(ExitCode.Succeeded);
    expect(check.stdout).toContain('volumes 12 · restored 0 · failed 0');
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    const report = JSON.parse(run.stdout) as RestoreReport;
    const snapshots = served.stack.emulator?.snapshots() ?? [];
    expect(report.volumes.map((v) => [v.sourceVolumeArn, v.snapshotId]).sort()).toEqual(
      snapshots.map((s) => [s.volumeArn, s.snapshotId]).sort(),
    );
    expect(report.summary).toMatchObject({ restored: 11, failed: 0, cleanedUp: 11, leftBehind: 0 });
    expect(served.stack.emulator?.restoredVolumes()).toEqual([]);
    // --json: stdout holds only the JSON, stderr nothing but errors; the report file says it passed.
    expect(run.stderr).toBe('');
    const markdown = await readFile(reportPath, 'utf8');
    expect(markdown).toContain('PASSED (execution SUCCEEDED)');
    expect(markdown).toContain('# Restore drill');
    expect(markdown).toContain('## Restore');
    // The RTO on the simulated clock: at least one 60 s check interval, as on AWS (not the runner's compressed 50 ms).
    for (const row of report.volumes) {
      expect(markdown).toMatch(
        new RegExp(
          `\\| ${row.snapshotId} \\| vol-[0-9A-F]{8} \\| restored \\(AVAILABLE\\) \\| [1-4] min \\d{2} s \\| 5 min 00 s: met \\| deleted vol-`,
        ),
      );
    }
  });

  it('restores from a manifest file and from its s3:// URI, and refuses an execution that left none', async () => {
    // Prepare
    served = await serveForCli({ s3Directory: join(dir, 's3') });
    const started = await driveCli(['start', '--name', 'nightly-2', '--wait', '--json'], served.env);
    const manifestUri = (JSON.parse(started.stdout) as { evidence: { manifest: string } }).evidence.manifest;
    const [first] = served.stack.emulator?.snapshots() ?? [];
    const file = join(dir, 'manifest.json');
    const manifest = [
      { gatewayArn: first?.gatewayArn, volumes: [{ volumeArn: first?.volumeArn, snapshotId: first?.snapshotId }] },
    ];
    await writeFile(file, JSON.stringify({ manifest }));

    // Act
    const fromFile = await driveCli(
      ['restore', '--from', file, '--to-ebs', 'us-east-1a', '--test', '--wait', '--json'],
      served.env,
    );
    const fromUri = await driveCli(
      [
        'restore',
        '--from',
        manifestUri,
        '--to-ebs',
        'us-east-1b',
        '--volume',
        first?.volumeArn ?? '',
        '--test',
        '--wait',
        '--json',
      ],
      served.env,
    );
    const unknown = await driveCli(['restore', '--from', 'no-such-run', '--to-ebs', 'us-east-1a'], served.env);

    // Assess
    for (const run of [fromFile, fromUri]) {
      expect(run.exitCode).toBe(ExitCode.Succeeded);
      expect((JSON.parse(run.stdout) as RestoreReport).volumes).toEqual([
        expect.objectContaining({
          snapshotId: first?.snapshotId,
          state: 'restored',
          restoredVolume: expect.stringMatching(/^vol-/),
        }),
      ]);
    }
    expect(unknown.exitCode).toBe(ExitCode.Usage);
    expect(served.stack.emulator?.restoredVolumes()).toEqual([]);
  });

  it('refuses a bad target before any AWS call, naming the flag', async () => {
    // Act
    const noInterface = await driveCli(['restore', '--from', 's3://b/m.json', '--to-gateway', DR_GATEWAY_ARN], {});
    const badZone = await driveCli(['restore', '--from', 's3://b/m.json', '--to-ebs', 'use1-az1'], {});

    // Assess
    expect(noInterface.exitCode).toBe(ExitCode.Usage);
    expect(noInterface.stderr).toContain('--to-gateway needs --network-interface');
    expect(badZone.exitCode).toBe(ExitCode.Usage);
    expect(badZone.stderr).toContain('--to-ebs: target.ebs.availabilityZone: must be an Availability Zone name');
  });
});

describe('sgw-snap restore --wait interrupted', () => {
  let served: ServedCli | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-restore-int-'));
    served = await serveForCli({ s3Directory: join(dir, 's3') });
    await driveCli(['start', '--name', 'nightly-int', '--wait', '--json'], served.env);
  });
  afterAll(async () => {
    await served?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('picks its state machines as start does: --stage, else SGW_SNAP_STATE_MACHINE, the restore one named after it', async () => {
    // Prepare
    const env = served?.env ?? {};
    const check = ['restore', '--from', 'nightly-int', '--to-ebs', 'us-east-1a', '--check', '--wait'];

    // Act
    const byEnvironment = await driveCli(check, { ...env, SGW_SNAP_STATE_MACHINE: 'sgw-recovery-snapshots-prod' });
    const byStage = await driveCli([...check, '--stage', 'prod'], env);
    const named = await driveCli([...check, '--stage', 'dev', '--json'], {
      ...env,
      SGW_SNAP_STATE_MACHINE: 'sgw-recovery-snapshots-prod',
    });

    // Assess: serve serves the dev stage's two state machines only.
    for (const run of [byEnvironment, byStage]) {
      expect(run.exitCode).toBe(ExitCode.Usage);
      expect(run.stderr).toContain('No state machine is named sgw-recovery-snapshots-prod at');
    }
    expect(named.exitCode).toBe(ExitCode.Succeeded);
    expect(JSON.parse(named.stdout)).toEqual(
      expect.objectContaining({
        execution: expect.objectContaining({ id: expect.stringContaining(':sgw-recovery-snapshots-dev-restore:') }),
      }),
    );
  });

  it('Ctrl-C during restore --wait says the restore goes on and how to follow or stop it, exits 130', async () => {
    // Prepare: SIGINT arrives at the first pause of the wait.
    const signals = new EventEmitter();
    const sleep = async () => {
      signals.emit('SIGINT');
    };
    const env = served?.env ?? {};

    // Act
    const run = await driveCli(
      ['restore', '--from', 'nightly-int', '--to-ebs', 'us-east-1a', '--test', '--name', 'drill-int', '--wait'],
      env,
      { signals, sleep },
    );
    const status = await driveCli(['stop', 'drill-int', '--state-machine', DEFAULT_RESTORE_STATE_MACHINE], env);

    // Assess
    expect(run.exitCode).toBe(ExitCode.Interrupted);
    expect(run.exitCode).toBe(130);
    expect(run.stderr).toContain('interrupted: stopped following, not the execution. drill-int goes on running');
    expect(run.stderr).toMatch(/Follow it with: aws stepfunctions describe-execution --execution-arn \S+:drill-int\n/);
    expect(run.stderr).toMatch(/Stop it with: +aws stepfunctions stop-execution --execution-arn \S+:drill-int\n/);
    expect(run.stdout).toBe('');
    // The restore was still running (or had ended on its own) when the following stopped: never aborted by Ctrl-C.
    expect(status.stdout).toMatch(/^Execution drill-int (stopped: ABORTED|was not running \((SUCCEEDED)\))/);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });
});
