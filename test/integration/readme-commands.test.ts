import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BLOCK_TIMEOUT_MS = 180_000;
// About 30 commands, each a fresh `npx` and Node: 2.5 min on a busy 2-core machine.
const TEST_TIMEOUT_MS = 480_000;

/** One command of a README shell block, and the exit code the README gives it (0 unless it says otherwise). */
interface ReadmeCommand {
  text: string;
  expectedExit: number;
  background: boolean;
}

/**
 * The README's shell blocks, as written. A block may be preceded by `<!-- readme-test: skip A, B: why -->` (commands
 * starting with A or B are not run, and the reason is said) or `<!-- readme-test: exit N … -->` (its sgw-snap commands
 * exit N); a command's own trailing comment `# … exit N …` says its exit code.
 */
function readmeBlocks(readme: string): Array<{ commands: ReadmeCommand[]; skipped: string[] }> {
  const blocks: Array<{ commands: ReadmeCommand[]; skipped: string[] }> = [];
  const fence = /(?:<!-- readme-test: (.*?) -->\n)?( *)```sh\n([\s\S]*?)\n *```/g;
  for (const [, directive = '', indent = '', body = ''] of readme.matchAll(fence)) {
    const skipPrefixes = /^skip (.*?):/.exec(directive)?.[1]?.split(/,\s*/) ?? [];
    const blockExit = Number(/^exit (\d+)/.exec(directive)?.[1] ?? 0);
    const lines = body.split('\n').map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    const joined = lines
      .join('\n')
      .replace(/\\\n\s*/g, ' ')
      .split('\n');
    const commands: ReadmeCommand[] = [];
    const skipped: string[] = [];
    for (const line of joined) {
      const text = line.replace(/\s+#.*$/, '').trim();
      if (!text || text.startsWith('#')) continue;
      if (skipPrefixes.some((prefix) => text.startsWith(prefix))) {
        skipped.push(text);
        continue;
      }
      const own = /#.*\bexit (\d+)\b/.exec(line)?.[1];
      const expectedExit = own === undefined ? (text.startsWith('npx sgw-snap') ? blockExit : 0) : Number(own);
      commands.push({ text, expectedExit, background: text.endsWith('&') });
    }
    blocks.push({ commands, skipped });
  }
  return blocks;
}

/** A clean checkout: the files git knows (tracked, or new and not ignored), and the installed node_modules. */
async function checkout(into: string): Promise<void> {
  const { stdout } = await exec('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const file of stdout.split('\0').filter(Boolean)) {
    await mkdir(dirname(join(into, file)), { recursive: true });
    await copyFile(join(ROOT, file), join(into, file)).catch((error: NodeJS.ErrnoException) => {
      // A file deleted in the working tree but not yet in the index.
      if (error.code !== 'ENOENT') throw error;
    });
  }
  await symlink(join(ROOT, 'node_modules'), join(into, 'node_modules'));
}

/** An environment with no AWS configuration at all: a fresh home, no AWS_* variables, no config files. */
function noAwsEnv(home: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'SGW_SNAP_STATE_MACHINE', 'XDG_DATA_HOME', 'NODE_OPTIONS']) {
    delete env[name];
  }
  return {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

describe('every command the README shows', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-readme-'));
    await mkdir(join(dir, 'home'));
    await mkdir(join(dir, 'checkout'));
    await checkout(join(dir, 'checkout'));
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'runs as written on a clean checkout with no AWS configuration, and exits as the README says',
    async () => {
      // Prepare
      const blocks = readmeBlocks(await readFile(join(ROOT, 'README.md'), 'utf8'));
      const env = noAwsEnv(join(dir, 'home'));
      const results = join(dir, 'results');
      const outcomes: Array<{ command: string; expected: number; actual: number | undefined }> = [];

      // Act: each block in one shell, in README order, in the same checkout and home.
      for (const [b, { commands }] of blocks.entries()) {
        // Job control: a background command (a server) runs in a process group of its own, so `kill %1` and the
        // clean-up stop npx and the node it started, and no orphan keeps the block's output open.
        const script = [
          'set +e -m',
          ...commands.map((c, i) => (c.background ? c.text : `${c.text}\necho "${b}.${i} $?" >> "${results}"`)),
          'for job in $(jobs -p); do kill -- -"$job" 2>/dev/null; done; wait',
        ].join('\n');
        await writeFile(join(dir, `block-${b}.sh`), script);
        await exec('bash', [join(dir, `block-${b}.sh`)], {
          cwd: join(dir, 'checkout'),
          env,
          timeout: BLOCK_TIMEOUT_MS,
          maxBuffer: 64 * 1024 * 1024,
        }).catch(() => undefined);
        const codes = new Map(
          (await readFile(results, 'utf8').catch(() => ''))
            .split('\n')
            .filter(Boolean)
            .map((line) => line.split(' ') as [string, string]),
        );
        for (const [i, c] of commands.entries()) {
          if (c.background) continue;
          const actual = codes.get(`${b}.${i}`);
          outcomes.push({
            command: c.text,
            expected: c.expectedExit,
            actual: actual === undefined ? undefined : Number(actual),
          });
        }
      }

      // Assess
      const skipped = blocks.flatMap((block) => block.skipped);
      expect(skipped.sort()).toEqual(
        [
          "aws ssm start-automation-execution --document-name <RunbookName>  --parameters 'WaitForCompletion=true,MinAgeMinutes=0'",
          // Copies (issue 13): the destination stack needs AWS; its template is linted by the template tests.
          'aws cloudformation deploy --template-file deploy/copy-destination.json --stack-name sgw-recovery-snapshots-copy  --capabilities CAPABILITY_NAMED_IAM  --parameter-overrides SourceAccountId=111122223333 StateMachineName=sgw-recovery-snapshots-prod',
          'npm ci',
          'npm test',
          'npx serverless deploy --stage prod --region eu-west-1',
          'npx serverless package --stage test',
        ].sort(),
      );
      expect(outcomes.length).toBeGreaterThanOrEqual(25);
      expect(outcomes.filter((o) => o.actual !== o.expected)).toEqual([]);
      expect(outcomes.map((o) => o.command)).toEqual(
        expect.arrayContaining([
          'npm start',
          'npx sgw-snap --version',
          'npx sgw-snap run --local --fleet examples/fleet.json --faults examples/faults.json',
          'npx sgw-snap redrive drill-local',
        ]),
      );
    },
    TEST_TIMEOUT_MS,
  );
});
