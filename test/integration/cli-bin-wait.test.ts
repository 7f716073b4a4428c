import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ServedCli, serveForCli } from '../helpers/served-cli.ts';

const run = promisify(execFile);

describe('sgw-snap start --wait in a fresh Node process', () => {
  let dir: string;
  let served: ServedCli;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-bin-wait-'));
    served = await serveForCli({ s3Directory: join(dir, 's3') });
  });
  afterAll(async () => {
    await served.close();
    await rm(dir, { recursive: true, force: true });
  });

  // Between two polls of the history nothing but the poll's timer keeps a CLI process alive: an unref'd timer let
  // Node end the process mid-wait (exit 13, "unsettled top-level await"), which no in-process test could see.
  it('follows the execution to its end between polls and writes the drill report', async () => {
    // Act
    const { stdout, stderr } = await run(
      process.execPath,
      [
        'bin/sgw-snap.ts',
        'start',
        '--name',
        'bin-wait',
        '--wait',
        '--poll-ms',
        '200',
        '--report',
        join(dir, 'drill.md'),
      ],
      { cwd: new URL('../..', import.meta.url).pathname, env: { PATH: process.env.PATH ?? '', ...served.env } },
    );

    // Assess
    expect(stdout).toContain('Execution bin-wait SUCCEEDED');
    expect(stderr).toContain('drill report written to');
  });
});
