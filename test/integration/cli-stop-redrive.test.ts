import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.ts';
import { volumeArnOf } from '../../src/local/emulator/index.ts';
import type { ExecutionReport } from '../../src/report/execution-report.ts';
import { driveCli } from '../helpers/drive-cli.ts';
import { type ServedCli, serveForCli, snapshotRefusedFor } from '../helpers/served-cli.ts';

const FAILING_VOLUME = volumeArnOf({ region: 'us-east-1', accountId: '111122223333' }, 'sgw-12A3456B', 'vol-1122AABC');

describe('sgw-snap stop and redrive against sgw-snap serve', () => {
  let dir: string;
  let served: ServedCli | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-redrive-'));
  });
  afterEach(async () => {
    await served?.close();
    served = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  /** Polls `status --json` until the execution has ended. */
  async function ended(name: string, env: NodeJS.ProcessEnv): Promise<ExecutionReport> {
    for (;;) {
      const status = await driveCli(['status', name, '--json'], env);
      const report = JSON.parse(status.stdout) as ExecutionReport & { status?: string };
      if (report.status !== 'RUNNING') return report;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('redrives a failed execution under its ARN once its cause is gone, and refuses to redrive one that succeeded', async () => {
    // Prepare: one volume's snapshot is refused, so the drill fails.
    served = await serveForCli({ s3Directory: join(dir, 's3'), faults: [snapshotRefusedFor(FAILING_VOLUME)] });
    const first = await driveCli(['start', '--name', 'drill', '--wait', '--json'], served.env);
    served.stack.emulator?.setFaults([]);

    // Act
    const redrive = await driveCli(['redrive', 'drill'], served.env);
    const report = await ended('drill', served.env);
    const again = await driveCli(['redrive', 'drill'], served.env);
    const list = await driveCli(['list', '--json'], served.env);

    // Assess
    expect(first.exitCode).toBe(ExitCode.Failed);
    expect(redrive.exitCode).toBe(ExitCode.Succeeded);
    expect(redrive.stdout).toMatch(/^Execution drill redriven at \S+Z\n/);
    expect(redrive.stdout).toContain('Follow it with: sgw-snap status drill');
    // Locally the workflow runs again from the start: the ten snapshots of the first attempt are found, not made again.
    // Whether the rerun's list step already sees them (skipped `already-snapshotted`) or its create step finds them
    // (`existing`) is up to the emulator's default visibility lag of new snapshots; either way none is made twice.
    const firstReport = JSON.parse(first.stdout) as ExecutionReport;
    expect(firstReport.summary).toEqual(expect.objectContaining({ created: 10, failed: 1 }));
    const { summary } = report;
    expect(summary).toEqual(expect.objectContaining({ created: 1, failed: 0 }));
    expect(summary.existing + (summary.skippedByReason['already-snapshotted'] ?? 0)).toBe(firstReport.summary.created);
    expect(summary.created + summary.existing + summary.skipped + summary.failed).toBe(summary.volumes);
    const snapshots = served.stack.emulator?.snapshots() ?? [];
    expect(snapshots).toHaveLength(firstReport.summary.created + summary.created);
    expect(new Set(snapshots.map((s) => `${s.volumeArn} ${s.recoveryPointTime}`)).size).toBe(snapshots.length);
    expect(again.exitCode).toBe(ExitCode.Usage);
    expect(again.stderr).toContain('Execution is SUCCEEDED and cannot be redriven');
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'drill', status: 'SUCCEEDED' })]);
  });

  it('redrive --wait follows the redriven attempt as start --wait does: live progress, report, drill report, exit 0', async () => {
    // Prepare: one volume's snapshot is refused, so both drills fail; then the cause is gone.
    served = await serveForCli({ s3Directory: join(dir, 's3'), faults: [snapshotRefusedFor(FAILING_VOLUME)] });
    const firstA = await driveCli(['start', '--name', 'drill-a', '--wait', '--json'], served.env);
    const firstB = await driveCli(['start', '--name', 'drill-b', '--wait', '--json'], served.env);
    served.stack.emulator?.setFaults([]);
    const reportPath = join(dir, 'redriven.md');

    // Act
    const text = await driveCli(
      ['redrive', 'drill-a', '--wait', '--verbose', '--report', reportPath, '--rpo-target', '4h'],
      {
        ...served.env,
        NO_COLOR: '1',
      },
    );
    const json = await driveCli(['redrive', 'drill-b', '--wait', '--json'], served.env);
    const wrongTarget = await driveCli(
      ['redrive', 'drill-a', '--wait', '--report', reportPath, '--rto-target', '5'],
      served.env,
    );

    // Assess
    expect(firstA.exitCode).toBe(ExitCode.Failed);
    expect(firstB.exitCode).toBe(ExitCode.Failed);
    expect(text.exitCode).toBe(ExitCode.Succeeded);
    expect(text.stderr).toMatch(/^redriven at \S+Z: following \S+:drill-a\n/);
    expect(text.stderr).toMatch(/\[\+[\d.]+s\] execution redriven \(redrive 1\)/);
    expect(text.stderr).toContain('execution SUCCEEDED');
    // The gateway's name, from the list step's output in the history, beside its ID in the live lines.
    expect(text.stderr).toMatch(/snapshot snap-\w+ of vol-1122AABC on sgw-12A3456B \(branch-office-1\)/);
    // Only the redriven attempt is told: the first attempt's failure is not told again, and the live counts are the
    // report's, with no correction.
    expect(text.stderr).not.toContain('FAILED vol-1122AABC');
    expect(text.stderr).not.toContain('corrected from the report');
    expect(text.stdout).toMatch(/^Execution drill-a SUCCEEDED in [\d.]+ s\n/);
    const redrivenReport = (await driveCli(['status', 'drill-a', '--json'], served.env)).stdout;
    const { summary } = JSON.parse(redrivenReport) as ExecutionReport;
    expect(text.stderr).toContain(
      `created ${summary.created} · existing ${summary.existing} · skipped ${summary.skipped} · failed 0`,
    );
    expect(text.stderr).toContain(`drill report written to ${reportPath}:`);
    expect(await readFile(reportPath, 'utf8')).toContain('(execution SUCCEEDED)');
    expect(json.exitCode).toBe(ExitCode.Succeeded);
    expect(json.stderr).toBe('');
    expect((JSON.parse(json.stdout) as ExecutionReport).summary).toEqual(expect.objectContaining({ failed: 0 }));
    expect(wrongTarget.exitCode).toBe(ExitCode.Usage);
    expect(wrongTarget.stderr).toContain('--rto-target: this is a snapshot execution');
  });

  it('stops a running execution, says so when it is no longer running, and redrives the aborted one', async () => {
    // Prepare: every call answers slowly, so the execution is still running when it is stopped.
    served = await serveForCli({ s3Directory: join(dir, 's3'), faults: [{ operation: '*', latencyMs: 200 }] });
    await driveCli(['start', '--name', 'slow'], served.env);

    // Act
    const stop = await driveCli(['stop', 'slow', '--cause', 'drill cancelled'], served.env);
    const stopAgain = await driveCli(['stop', 'slow'], served.env);
    const status = await driveCli(['status', 'slow'], served.env);
    served.stack.emulator?.setFaults([]);
    const redrive = await driveCli(['redrive', 'slow', '--json'], served.env);
    const report = await ended('slow', served.env);

    // Assess
    expect(stop.exitCode).toBe(ExitCode.Succeeded);
    expect(stop.stdout).toMatch(/^Execution slow stopped: ABORTED\n/);
    expect(stopAgain.stdout).toMatch(/^Execution slow was not running \(ABORTED\): nothing to stop\n/);
    expect(status.exitCode).toBe(ExitCode.Failed);
    expect(status.stdout).toContain('drill cancelled');
    expect(redrive.exitCode).toBe(ExitCode.Succeeded);
    expect(JSON.parse(redrive.stdout)).toEqual(
      expect.objectContaining({ executionArn: expect.stringMatching(/:slow$/) }),
    );
    expect(report.summary.failed).toBe(0);
  });
});
