import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_STATE_MACHINE } from '../../src/cli/options.ts';
import { makeProgram } from '../../src/cli/program.ts';
import { ExitCode } from '../../src/errors.ts';
import { generateFleet } from '../../src/local/fleet.ts';
import type { ExecutionReport } from '../../src/report/execution-report.ts';
import { volumeIdOf } from '../../src/report/gateway-report.ts';
import { driveCli, LOCAL_AWS_ENV } from '../helpers/drive-cli.ts';
import { demoVolumeIds, type ServedCli, serveForCli, snapshotRefusedFor } from '../helpers/served-cli.ts';

const FAILING_VOLUME = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-12A3456B/volume/vol-1122AABC';

describe('sgw-snap against sgw-snap serve', () => {
  let served: ServedCli | undefined;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-drill-'));
  });
  afterEach(async () => {
    await served?.close();
    served = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a drill with --wait --report: progress on stderr, result on stdout, a row per volume in scope from the evidence', async () => {
    // Prepare
    served = await serveForCli({ s3Directory: join(dir, 's3') });
    const reportPath = join(dir, 'drill.md');

    // Act
    const run = await driveCli(
      ['start', '--name', 'drill-1', '--wait', '--verbose', '--report', reportPath],
      served.env,
    );

    // Assess
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    expect(run.stdout).toContain('Execution drill-1 SUCCEEDED');
    expect(run.stdout).toContain('11 of 12 volumes in scope have a snapshot to restore from');
    expect(run.stdout).toContain(`Evidence: s3://sgw-snap-evidence/executions/${DEFAULT_STATE_MACHINE}/drill-1/`);
    expect(run.stderr).toMatch(
      /gateway sgw-12A3456B \(branch-office-1\): 4 recovery points, 3 to snapshot, 1 skipped \(below-min-usage 1\)/,
    );
    expect(run.stderr).toContain('created 11');
    expect(run.stderr).toContain(`drill report written to ${reportPath}: FAILED`);
    const markdown = await readFile(reportPath, 'utf8');
    const snapshots = served.stack.emulator?.snapshots() ?? [];
    expect(snapshots).toHaveLength(11);
    for (const snapshot of snapshots) {
      // Volume, size, the snapshot, its source, the recovery point, when the snapshot was made (from the evidence, no ≤).
      expect(markdown).toMatch(
        new RegExp(
          `\\| ${volumeIdOf(snapshot.volumeArn)} \\| [\\d.]+ [GT]iB \\| ${snapshot.snapshotId} \\| created \\| ${snapshot.recoveryPointTime} \\| \\d{4}-[^|≤]+ \\| \\d`,
        ),
      );
    }
    // The volume below the minimum usage is in scope and has nothing to restore from: the drill fails for it.
    expect(markdown).toMatch(/\| vol-1122AABE \| 100 GiB \| NONE \| — \|.*\| skipped: below-min-usage \|/);
    expect(markdown).toContain('**Result: FAILED (execution SUCCEEDED)**');
    expect(markdown).toContain('| Volumes in scope | 12, of which 1 without a usable snapshot |');
    expect(markdown).toContain(`| Evidence | s3://sgw-snap-evidence/executions/${DEFAULT_STATE_MACHINE}/drill-1/ |`);
    expect(markdown).not.toContain('≤');
  });

  it('builds the drill report of `status --report --rpo-target` from the evidence, marking the volumes that missed it', async () => {
    // Prepare
    served = await serveForCli({ s3Directory: join(dir, 's3') });
    await driveCli(['start', '--name', 'drill-rpo', '--wait'], served.env);
    const reportPath = join(dir, 'drill.html');

    // Act
    const status = await driveCli(['status', 'drill-rpo', '--report', reportPath, '--rpo-target', '4h'], served.env);

    // Assess
    expect(status.exitCode).toBe(ExitCode.Succeeded);
    expect(status.stderr).toContain(`drill report written to ${reportPath}: FAILED`);
    const html = await readFile(reportPath, 'utf8');
    const rows = [...html.matchAll(/<tr[^>]*><td>(vol-[0-9A-F]+)<\/td>/g)].map((match) => match[1]);
    expect(rows.sort()).toEqual(await demoVolumeIds());
    // Its recovery point is three days old: the only volume with a snapshot that misses a 4 h target.
    expect(html).toMatch(/<tr class="failed"><td>vol-2233BBC2<\/td>.*<td>MISSED<\/td>/);
    expect(html.match(/<td>MISSED<\/td>/g)).toHaveLength(1);
    expect(html.match(/<td>met<\/td>/g)).toHaveLength(10);
  });

  it('gives every volume of a 400-volume fleet its row and its snapshot, where a payload-sized report once lost some', async () => {
    // Prepare: 20 gateways of 20 volumes, the drill that once listed 331 of its 400 snapshots.
    const fleet = generateFleet({ gateways: 20, volumesPerGateway: 20 });
    const fleetPath = join(dir, 'fleet.json');
    await writeFile(fleetPath, JSON.stringify(fleet));
    served = await serveForCli({ s3Directory: join(dir, 's3'), fleetPath });
    const reportPath = join(dir, 'drill.md');

    // Act
    const run = await driveCli(
      ['start', '--name', 'drill-400', '--wait', '--json', '--report', reportPath],
      served.env,
    );

    // Assess
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    const report = JSON.parse(run.stdout) as ExecutionReport;
    expect(report.summary).toMatchObject({ gateways: 20, created: 400, volumes: 400, withoutSnapshot: 0 });
    expect(report.snapshots).toHaveLength(400);
    const markdown = await readFile(reportPath, 'utf8');
    expect(markdown).toContain('**Result: PASSED (execution SUCCEEDED)**');
    for (const snapshot of served.stack.emulator?.snapshots() ?? [])
      expect(markdown).toContain(`| ${volumeIdOf(snapshot.volumeArn)} | `);
    const rows = markdown
      .split('\n')
      .filter((line) => /^\| vol-[0-9A-F]+ \| .* \| snap-[0-9a-f]+ \| created \|/.test(line));
    expect(rows).toHaveLength(400);
    // 400 creates each write an idempotency record and an attempt mark to dynalite: past 30 s on a loaded machine.
  }, 60_000);

  it('starts one execution for the same --name twice, and refuses the name with another input', async () => {
    // Prepare
    served = await serveForCli({ s3Directory: join(dir, 's3') });
    await driveCli(['start', '--name', 'drill-2', '--wait'], served.env);

    // Act
    const again = await driveCli(['start', '--name', 'drill-2', '--wait', '--json'], served.env);
    const clash = await driveCli(['start', '--name', 'drill-2', '--input', '{"dryRun":true}'], served.env);
    const list = await driveCli(['list', '--json'], served.env);

    // Assess
    expect(again.exitCode).toBe(ExitCode.Succeeded);
    // --json: stderr carries errors only (the message that the execution is followed is tested without it).
    expect(again.stderr).toBe('');
    const report = JSON.parse(again.stdout) as ExecutionReport;
    expect(report.summary.created).toBe(11);
    expect(report.snapshots).toHaveLength(11);
    expect(served.stack.emulator?.snapshots()).toHaveLength(11);
    expect(clash.exitCode).toBe(ExitCode.Usage);
    expect(clash.stderr).toContain('different input');
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'drill-2', status: 'SUCCEEDED' })]);
  });

  it('exits 1 when a volume cannot be snapshotted, and the report, --json and status show which and why', async () => {
    // Prepare
    served = await serveForCli({
      s3Directory: join(dir, 's3'),
      faults: [snapshotRefusedFor(FAILING_VOLUME)],
    });
    const reportPath = join(dir, 'drill.html');

    // Act
    const run = await driveCli(['start', '--name', 'drill-3', '--wait', '--json', '--report', reportPath], served.env);
    const status = await driveCli(['status', 'drill-3'], served.env);
    const statusJson = await driveCli(['status', 'drill-3', '--json'], served.env);
    const failed = await driveCli(['list', '--status', 'FAILED'], served.env);

    // Assess
    expect(run.exitCode).toBe(ExitCode.Failed);
    const report = JSON.parse(run.stdout) as ExecutionReport;
    expect(report.failures).toEqual([
      expect.objectContaining({ volumeArn: FAILING_VOLUME, error: 'InvalidGatewayRequestException' }),
    ]);
    expect(report.manifest.flatMap((g) => g.volumes)).toHaveLength(12);
    expect(run.stderr).toBe('');
    expect(JSON.stringify(JSON.parse(run.stdout).failures)).toContain('InvalidGatewayRequestException');
    const html = await readFile(reportPath, 'utf8');
    expect(html).toContain('Result: FAILED (execution FAILED)');
    expect(html).toMatch(
      /<tr class="failed"><td>vol-1122AABC<\/td>.*<td>NONE<\/td>.*<td>FAILED: InvalidGatewayRequestException<\/td><\/tr>/,
    );
    expect(status.exitCode).toBe(ExitCode.Failed);
    expect(status.stdout).toContain('Execution drill-3 FAILED');
    expect(status.stdout).toMatch(/vol-1122AABC\s+sgw-12A3456B branch-office-1\s+InvalidGatewayRequestException/);
    expect(JSON.parse(statusJson.stdout)).toEqual(report);
    expect(failed.stdout).toMatch(/drill-3\s+FAILED/);
  });

  it('exits 3 and names the call when the endpoint cannot be reached', async () => {
    // Prepare
    const env = { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9' };
    const arn = `arn:aws:states:us-east-1:000000000000:stateMachine:${DEFAULT_STATE_MACHINE}`;

    // Act
    const byName = await driveCli(['start', '--wait'], env);
    const byArn = await driveCli(['start', '--state-machine', arn], env);

    // Assess
    expect(byName.exitCode).toBe(ExitCode.Unreachable);
    expect(byName.stderr).toContain('ListStateMachines: could not reach Step Functions at http://127.0.0.1:9');
    expect(byArn.exitCode).toBe(ExitCode.Unreachable);
    expect(byArn.stderr).toContain('StartExecution: could not reach Step Functions');
  });

  it('is part of the program makeProgram() builds', () => {
    // Act
    const names = makeProgram().commands.map((command) => command.name());

    // Assess
    expect(names).toEqual(expect.arrayContaining(['start', 'status', 'list', 'report', 'serve']));
  });
});
