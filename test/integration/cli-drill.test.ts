import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_STATE_MACHINE } from '../../src/cli/options.ts';
import { makeProgram } from '../../src/cli/program.ts';
import { ExitCode } from '../../src/errors.ts';
import type { FaultRule } from '../../src/local/emulator/index.ts';
import { createSfnEndpoint, type SfnEndpoint } from '../../src/local/sfn-endpoint/index.ts';
import { type LocalStack, startLocalStack } from '../../src/local/stack.ts';
import type { ExecutionReport } from '../../src/report/execution-report.ts';
import { driveCli, LOCAL_AWS_ENV } from '../unit/cli/drive-cli.ts';

const FAILING_VOLUME = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-12A3456B/volume/vol-1122AABC';

interface Served {
  stack: LocalStack;
  endpoint: SfnEndpoint;
  env: NodeJS.ProcessEnv;
}

/** `sgw-snap serve` as a test runs it: the demo fleet, an ephemeral port, the given fault rules. */
async function serve(faults: FaultRule[] = []): Promise<Served> {
  const stack = await startLocalStack({ env: {}, faults });
  const endpoint = createSfnEndpoint({ stack, stateMachineName: DEFAULT_STATE_MACHINE });
  const { url } = await endpoint.listen({ port: 0 });
  return { stack, endpoint, env: { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_SFN: url } };
}

describe('sgw-snap against sgw-snap serve', () => {
  let served: Served | undefined;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-drill-'));
  });
  afterEach(async () => {
    await served?.endpoint.close();
    await served?.stack.close();
    served = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a drill with --wait --report: progress on stderr, result on stdout, a report row per volume with its snapshot', async () => {
    // Prepare
    served = await serve();
    const reportPath = join(dir, 'drill.md');

    // Act
    const run = await driveCli(['start', '--name', 'drill-1', '--wait', '--report', reportPath], served.env);

    // Assess
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    expect(run.stdout).toContain('Execution drill-1 SUCCEEDED');
    expect(run.stderr).toMatch(
      /gateway sgw-12A3456B: 4 recovery points, 3 to snapshot, 1 skipped \(below-min-usage 1\)/,
    );
    expect(run.stderr).toContain('created 11');
    const markdown = await readFile(reportPath, 'utf8');
    const snapshots = served.stack.emulator?.snapshots() ?? [];
    expect(snapshots).toHaveLength(11);
    for (const snapshot of snapshots) {
      const volumeId = snapshot.volumeArn.slice(snapshot.volumeArn.lastIndexOf('/') + 1);
      expect(markdown).toMatch(
        new RegExp(`\\| ${volumeId} \\| ${snapshot.snapshotId} \\| ${snapshot.recoveryPointTime} \\| \\S+ \\| \\d`),
      );
    }
    expect(markdown).toContain('**Result: PASSED (execution SUCCEEDED)**');
    expect(markdown).toContain('| vol-1122AABE | ');
    expect(markdown).toContain('below-min-usage');
  });

  it('starts one execution for the same --name twice, and refuses the name with another input', async () => {
    // Prepare
    served = await serve();
    await driveCli(['start', '--name', 'drill-2', '--wait'], served.env);

    // Act
    const again = await driveCli(['start', '--name', 'drill-2', '--wait', '--json'], served.env);
    const clash = await driveCli(['start', '--name', 'drill-2', '--input', '{"dryRun":true}'], served.env);
    const list = await driveCli(['list', '--json'], served.env);

    // Assess
    expect(again.exitCode).toBe(ExitCode.Succeeded);
    expect(again.stderr).toContain('already exists');
    expect((JSON.parse(again.stdout) as ExecutionReport).summary.created).toBe(11);
    expect(served.stack.emulator?.snapshots()).toHaveLength(11);
    expect(clash.exitCode).toBe(ExitCode.Usage);
    expect(clash.stderr).toContain('different input');
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'drill-2', status: 'SUCCEEDED' })]);
  });

  it('exits 1 when a volume cannot be snapshotted, and the report, --json and status show which and why', async () => {
    // Prepare
    served = await serve([
      {
        operation: 'CreateSnapshotFromVolumeRecoveryPoint',
        volumeArn: FAILING_VOLUME,
        error: 'InvalidGatewayRequestException',
      },
    ]);
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
    expect(run.stderr).toContain('FAILED vol-1122AABC: InvalidGatewayRequestException');
    const html = await readFile(reportPath, 'utf8');
    expect(html).toContain('Result: FAILED (execution FAILED)');
    expect(html).toMatch(
      /<tr class="failed"><td>vol-1122AABC<\/td><td>—<\/td>.*<td>FAILED: InvalidGatewayRequestException<\/td><\/tr>/,
    );
    expect(status.exitCode).toBe(ExitCode.Failed);
    expect(status.stdout).toContain('Execution drill-3 FAILED');
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
    expect(names).toEqual(expect.arrayContaining(['start', 'status', 'list', 'serve']));
  });
});
