import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.ts';
import { driveCli } from '../helpers/drive-cli.ts';
import { type ServedCli, serveForCli } from '../helpers/served-cli.ts';

const README = new URL('../../README.md', import.meta.url);

/** The `npx sgw-snap` command lines of the README's section `title`, as argument lists (the README quotes nothing). */
async function commandsOf(title: string): Promise<string[][]> {
  const text = await readFile(README, 'utf8');
  const start = text.indexOf(`## ${title}\n`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((block) => (block[1] ?? '').split('\n'))
    .filter((line) => line.startsWith('npx sgw-snap '))
    .map((line) => line.split(/\s+/).slice(2));
}

describe('the README restore sections, run as written against sgw-snap serve', () => {
  let served: ServedCli | undefined;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-readme-restore-'));
  });
  afterEach(async () => {
    await served?.close();
    served = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('restores after a site loss, then tests the restores, every command succeeding', async () => {
    // Prepare: `serve` is what the served stack is; the report files go to a directory of the test's.
    served = await serveForCli({ s3Directory: join(dir, 's3') });
    const siteLoss = await commandsOf('Restoring after a site loss');
    const testing = await commandsOf('Testing your restores');
    const commands = [...siteLoss, ...testing]
      .filter(([command]) => command !== 'serve')
      .map((args) => args.map((arg, i) => (args[i - 1] === '--report' ? join(dir, arg) : arg)));

    // Act
    const runs = [];
    for (const args of commands) runs.push({ args, ...(await driveCli(args, served.env)) });

    // Assess
    // Each section starts its own `nightly` run; here both run against one stack, where the second start finds the
    // first's execution (same name and input).
    expect(commands.map((args) => args[0])).toEqual(['start', 'restore', 'restore', 'start', 'restore', 'restore']);
    for (const run of runs)
      expect({ args: run.args, exitCode: run.exitCode, stderr: run.exitCode ? run.stderr : '' }).toEqual({
        args: run.args,
        exitCode: ExitCode.Succeeded,
        stderr: '',
      });
    // The real restore's volumes stay on the DR gateway; the tests' are gone again.
    const left = served.stack.emulator?.restoredVolumes() ?? [];
    expect(left).toHaveLength(11);
    expect(left.every((v) => v.tags['sgw-snap:restore-test'] === undefined)).toBe(true);
    expect(await readFile(join(dir, 'site-loss.md'), 'utf8')).toContain('# Restore drill site-loss');
    expect(await readFile(join(dir, 'restore-drill.md'), 'utf8')).toContain('RTO target');
  });
});
