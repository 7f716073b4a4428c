import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLocally } from '../../src/cli/commands/run.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { DEFAULT_STATE_MACHINE } from '../../src/cli/options.ts';
import { ExitCode } from '../../src/errors.ts';
import { S3_DIRECTORY_VARIABLE } from '../../src/local/s3-server.ts';
import type { ExecutionReport } from '../../src/report/execution-report.ts';
import { REPORT_COLUMNS } from '../../src/report/rows.ts';
import { driveCli } from '../helpers/drive-cli.ts';
import { demoVolumeIds, type ServedCli, serveForCli, snapshotRefusedFor } from '../helpers/served-cli.ts';

const FAILING_VOLUME = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-12A3456B/volume/vol-1122AABC';
const EVIDENCE_PREFIX = `s3://sgw-snap-evidence/executions/${DEFAULT_STATE_MACHINE}/drill-1/`;

/** The CSV's records as objects by column name; no field of these reports needs quotes. */
function csvRecords(csv: string): Array<Record<string, string>> {
  const [header = '', ...lines] = csv.trimEnd().split('\r\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((field, i) => [columns[i], field])));
}

describe('sgw-snap report', () => {
  let dir: string;
  let served: ServedCli;
  /** What `start --wait --json` printed of drill-1, in which vol-1122AABC could not be snapshotted. */
  let started: ExecutionReport;
  /** Every volume a drill of the demo fleet sees. */
  let demoVolumes: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-report-'));
    demoVolumes = await demoVolumeIds();
    served = await serveForCli({
      s3Directory: join(dir, 's3'),
      faults: [snapshotRefusedFor(FAILING_VOLUME)],
    });
    const run = await driveCli(['start', '--name', 'drill-1', '--wait', '--json'], served.env);
    started = JSON.parse(run.stdout) as ExecutionReport;
  });
  afterAll(async () => {
    await served.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the whole report.json of an execution by name or ARN, whatever its outcome, and exits 0', async () => {
    // Act
    const byName = await driveCli(['report', 'drill-1'], served.env);
    const byArn = await driveCli(['report', started.execution.id, '--format', 'json'], served.env);

    // Assess
    expect(byName.exitCode).toBe(ExitCode.Succeeded);
    const report = JSON.parse(byName.stdout) as ExecutionReport;
    expect(report).toEqual(started);
    expect(JSON.parse(byArn.stdout)).toEqual(report);
    expect(report.evidence?.prefix).toBe(EVIDENCE_PREFIX);
    expect(report.summary).toMatchObject({ created: 10, skipped: 1, failed: 1, volumes: 12, withoutSnapshot: 2 });
    expect(report.failures).toEqual([
      expect.objectContaining({ volumeArn: FAILING_VOLUME, error: 'InvalidGatewayRequestException' }),
    ]);
  });

  it('writes CSV with one row per volume: its outcome and what it is restored from', async () => {
    // Act
    const run = await driveCli(['report', 'drill-1', '--format', 'csv'], served.env);

    // Assess
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    expect(run.stdout.split('\r\n')[0]).toBe(REPORT_COLUMNS.join(','));
    const records = csvRecords(run.stdout);
    expect(records.map((r) => r.volume_id).sort()).toEqual(demoVolumes);
    const snapshots = served.stack.emulator?.snapshots() ?? [];
    for (const snapshot of snapshots) {
      expect(records).toContainEqual(
        expect.objectContaining({
          volume_arn: snapshot.volumeArn,
          outcome: 'created',
          snapshot_id: snapshot.snapshotId,
          restore_from_snapshot_id: snapshot.snapshotId,
          restore_from_source: 'created',
        }),
      );
    }
    expect(records).toContainEqual(
      expect.objectContaining({
        volume_id: 'vol-1122AABC',
        reason_or_error: 'InvalidGatewayRequestException',
        restore_from_snapshot_id: '',
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({ volume_id: 'vol-1122AABE', reason_or_error: 'below-min-usage' }),
    );
  });

  it('writes a Markdown drill report in which --rpo-target marks each volume met or MISSED, and the drill FAILED', async () => {
    // Act
    const run = await driveCli(['report', 'drill-1', '--format', 'md', '--rpo-target', '4h'], served.env);

    // Assess
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    const markdown = run.stdout;
    expect(markdown).toContain('# Snapshot drill drill-1');
    expect(markdown).toContain('**Result: FAILED (execution FAILED)**');
    expect(markdown).toContain('| RPO target | 4 h 00 min: missed by 1 volume(s) |');
    // Three days old: the one volume with a snapshot that misses the target.
    expect(markdown).toMatch(/^\| vol-2233BBC2 \| .* \| 72 h 00 min \| MISSED \| created \|$/m);
    expect(markdown).toMatch(
      /^\| vol-1122AABC \| 250 GiB \| NONE \| .* \| FAILED: InvalidGatewayRequestException \|$/m,
    );
    expect(markdown.match(/\| met \|/g)).toHaveLength(9);
    for (const volumeId of demoVolumes) expect(markdown).toMatch(new RegExp(`^\\| ${volumeId} \\| `, 'm'));
    expect(markdown).toContain(`| Evidence | ${EVIDENCE_PREFIX} |`);
  });

  it('writes to --output, in the format its extension names, and says so on stderr', async () => {
    // Prepare
    const htmlPath = join(dir, 'drill-1.html');
    const csvPath = join(dir, 'drill-1.csv');

    // Act
    const html = await driveCli(['report', 'drill-1', '--output', htmlPath], served.env);
    const csv = await driveCli(['report', 'drill-1', '--output', csvPath], served.env);

    // Assess
    expect(html.exitCode).toBe(ExitCode.Succeeded);
    expect(html.stdout).toBe('');
    expect(html.stderr).toBe(`report written to ${htmlPath}\n`);
    const page = await readFile(htmlPath, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toMatch(/<tr class="failed"><td>vol-1122AABC<\/td>/);
    expect(csv.exitCode).toBe(ExitCode.Succeeded);
    expect(csvRecords(await readFile(csvPath, 'utf8'))).toHaveLength(demoVolumes.length);
  });

  it('reads the evidence at an s3:// URI, its prefix or its report.json, without asking Step Functions', async () => {
    // Prepare: no Step Functions endpoint at all.
    const env = { ...served.env, AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9' };

    // Act
    const byPrefix = await driveCli(['report', EVIDENCE_PREFIX], env);
    const byObject = await driveCli(['report', `${EVIDENCE_PREFIX}report.json`, '--format', 'md'], env);

    // Assess
    expect(byPrefix.exitCode).toBe(ExitCode.Succeeded);
    expect(JSON.parse(byPrefix.stdout)).toEqual(started);
    expect(byObject.exitCode).toBe(ExitCode.Succeeded);
    expect(byObject.stdout).toContain('**Result: FAILED (execution FAILED)**');
    expect(byObject.stdout).toContain(`| Execution | ${started.execution.id} |`);
  });

  it('reads the evidence of a `run --local` execution with --local, from the directory that run kept it in', async () => {
    // Prepare
    const env = { [S3_DIRECTORY_VARIABLE]: join(dir, 'local-s3') };
    let out = '';
    const io: CliIo = { stdout: { write: (text: string) => (out += text) }, stderr: { write: () => true }, env };
    await runLocally({ local: true, name: 'local-1', json: true }, io);
    const ran = JSON.parse(out) as ExecutionReport;

    // Act
    const json = await driveCli(['report', 'local-1', '--local'], env);
    const csv = await driveCli(['report', 'local-1', '--local', '--format', 'csv'], env);

    // Assess
    expect(json.exitCode).toBe(ExitCode.Succeeded);
    expect(JSON.parse(json.stdout)).toEqual(ran);
    expect(ran.evidence?.report).toBe('s3://sgw-snap-evidence/executions/sgw-recovery-snapshots/local-1/report.json');
    expect(
      csvRecords(csv.stdout)
        .map((r) => r.volume_id)
        .sort(),
    ).toEqual(demoVolumes);
  });

  it('exits 2 for a format it does not write', async () => {
    // Act
    const run = await driveCli(['report', 'drill-1', '--format', 'xml'], served.env);

    // Assess
    expect(run.exitCode).toBe(ExitCode.Usage);
    expect(run.stderr).toContain("argument 'xml' is invalid. must be one of json, md, html, csv (any case)");
    expect(run.stdout).toBe('');
  });

  it('says why when an execution has no report, or its evidence is not there', async () => {
    // Prepare: input the Plan step refuses ends the execution before any evidence is written.
    await driveCli(
      ['start', '--name', 'bad-input', '--input', '{"policy":{"minAgeMinutes":-1}}', '--wait'],
      served.env,
    );

    // Act
    const noReport = await driveCli(['report', 'bad-input'], served.env);
    const missing = await driveCli(
      ['report', `s3://sgw-snap-evidence/executions/${DEFAULT_STATE_MACHINE}/never-ran/`],
      served.env,
    );

    // Assess
    expect(noReport.exitCode).toBe(ExitCode.Usage);
    expect(noReport.stderr).toContain('bad-input is FAILED and has no report (InvalidInput)');
    expect(missing.exitCode).toBe(ExitCode.Failed);
    expect(missing.stderr).toContain(
      `s3://sgw-snap-evidence/executions/${DEFAULT_STATE_MACHINE}/never-ran/report.json does not exist (NoSuchKey)`,
    );
  });
});
