import { EventEmitter } from 'node:events';
import { serve } from '../../src/cli/commands/serve.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { ExitCode } from '../../src/errors.ts';
import { driveCli, LOCAL_AWS_ENV } from '../helpers/drive-cli.ts';

describe('sgw-snap serve', () => {
  it('serves the state machine sgw-snap starts by default, prints the endpoint, and stops on SIGINT', async () => {
    // Prepare
    let stdout = '';
    const io: CliIo = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true }, env: {} };
    const signals = new EventEmitter();
    const serving = serve({ port: 0 }, io, { signals });
    while (!stdout.includes('AWS_ENDPOINT_URL_S3=')) await new Promise((resolve) => setTimeout(resolve, 10));
    const url = /AWS_ENDPOINT_URL_SFN=(\S+)/.exec(stdout)?.[1] ?? '';
    const evidenceUrl = /AWS_ENDPOINT_URL_S3=(\S+)/.exec(stdout)?.[1] ?? '';

    // Act
    const drill = await driveCli(['start', '--wait', '--json'], {
      ...LOCAL_AWS_ENV,
      AWS_ENDPOINT_URL_SFN: url,
      AWS_ENDPOINT_URL_S3: evidenceUrl,
    });
    signals.emit('SIGINT');
    const exitCode = await serving;

    // Assess
    expect(stdout).toContain('serving arn:aws:states:us-east-1:111122223333:stateMachine:sgw-recovery-snapshots-dev');
    expect(stdout).toMatch(/^export AWS_ENDPOINT_URL_SFN=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(stdout).toMatch(/^export AWS_ENDPOINT_URL_S3=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(drill.exitCode).toBe(ExitCode.Succeeded);
    expect(JSON.parse(drill.stdout)).toMatchObject({ summary: { created: 11, failed: 0 } });
    expect(exitCode).toBe(ExitCode.Succeeded);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('exits 2 when the fleet file cannot be read', async () => {
    // Prepare
    let stderr = '';
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) }, env: {} };

    // Act
    const exitCode = await serve({ port: 0, fleet: '/nonexistent/fleet.json' }, io, { signals: new EventEmitter() });

    // Assess
    expect(exitCode).toBe(ExitCode.Usage);
    expect(stderr).toContain('--fleet /nonexistent/fleet.json');
  });
});
