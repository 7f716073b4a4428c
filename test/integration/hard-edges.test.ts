import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Command } from 'commander';
import { findSnapshotsOfExecution } from '../../src/aws/ec2.ts';
import { registerRunCommand } from '../../src/cli/commands/run.ts';
import { runProgram } from '../../src/cli/program.ts';
import { ExitCode, INVALID_INPUT, NO_RECOVERY_POINT, SNAPSHOTS_FAILED } from '../../src/errors.ts';
import { MAX_VOLUME_ARNS } from '../../src/input/schema.ts';
import { withoutMachinePaths } from '../../src/lambda/handler.ts';
import { PAYLOAD_LIMIT_BYTES } from '../../src/report/limits.ts';
import { driveCli } from '../helpers/drive-cli.ts';
import { CACHED_GATEWAY_ARN, rejectionOf, STORED_GATEWAY_ARN, TEST_FLEET, VOLUME_ARN } from '../helpers/emulator.ts';
import {
  type LocalWorkflow,
  NO_VISIBILITY_LAG,
  startLocalWorkflow,
  storageGatewayCalls,
} from '../helpers/local-workflow.ts';
import { type ServedCli, serveForCli } from '../helpers/served-cli.ts';

const otherRegion = (arn: string) => arn.replace('us-east-1', 'eu-west-1');

describe('inputs a hostile user tries: refused with InvalidInput naming the field, before any Storage Gateway call', () => {
  let workflow: LocalWorkflow;
  beforeAll(async () => {
    workflow = await startLocalWorkflow({ fleet: TEST_FLEET });
  });
  afterAll(() => workflow.close());

  it.each<[string, unknown, string]>([
    ['null', null, '(input)'],
    ['an array', [CACHED_GATEWAY_ARN], '(input)'],
    ['a string', 'gatewayArns', '(input)'],
    ['a number', 42, '(input)'],
    ['an empty volumeArns', { volumeArns: [] }, 'volumeArns'],
    ['a volume of another Region', { volumeArns: [otherRegion(VOLUME_ARN)] }, 'volumeArns[0]'],
    ['a gateway of another Region', { gatewayArns: [otherRegion(CACHED_GATEWAY_ARN)] }, 'gatewayArns[0]'],
    [
      'a gateway of another account',
      { gatewayArns: [CACHED_GATEWAY_ARN.replace('111122223333', '444455556666')] },
      'gatewayArns[0]',
    ],
    [
      'a gateway of a partition no API knows',
      { gatewayArns: [CACHED_GATEWAY_ARN.replace('arn:aws:', 'arn:aws-zzz:')] },
      'gatewayArns[0]',
    ],
    [
      'a gateway of another partition',
      { gatewayArns: [CACHED_GATEWAY_ARN.replace('arn:aws:', 'arn:aws-cn:')] },
      'gatewayArns[0]',
    ],
    // A 1 MB ARN never reaches Plan: AWS refuses an input over 256 KiB at StartExecution (serve's test below);
    // one past the API's 500 characters does, and is refused there.
    [
      'a gateway ARN past 500 characters',
      { gatewayArns: [`${CACHED_GATEWAY_ARN}${'A'.repeat(500)}`] },
      'gatewayArns[0]',
    ],
    [
      'a volume of a gateway not named',
      { gatewayArns: [STORED_GATEWAY_ARN], volumeArns: [VOLUME_ARN] },
      'volumeArns[0]',
    ],
    ['a tag key __proto__', JSON.parse('{"tags": {"__proto__": "x"}}'), 'tags.__proto__'],
    [
      'one volume ARN too many',
      {
        excludeVolumeArns: Array.from(
          { length: MAX_VOLUME_ARNS + 1 },
          (_, i) => `${CACHED_GATEWAY_ARN}/volume/vol-${i}`,
        ),
      },
      'excludeVolumeArns',
    ],
  ])('%s', async (_case, input, field) => {
    // Prepare
    workflow.emulator.resetCalls();

    // Act
    const run = await workflow.run(input);

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe(INVALID_INPUT);
    expect(JSON.parse(run.cause ?? '{}').errorMessage).toContain(`${field}: `);
    expect(storageGatewayCalls(workflow.emulator)).toEqual([]);
    // The cause leaves the process: no absolute path of this machine in it.
    expect(run.cause).not.toContain(process.cwd());
    expect(run.cause).not.toContain('file://');
  });

  it('refuses a volume of a gateway discovery did not find, before any snapshot', async () => {
    // Prepare: the stored gateway is not CACHED, so discovery leaves it out.
    const storedVolume = `${STORED_GATEWAY_ARN}/volume/vol-2233BBC1`;
    workflow.emulator.resetCalls();

    // Act
    const run = await workflow.run({ volumeArns: [storedVolume] });

    // Assess
    expect(run.error).toBe(INVALID_INPUT);
    expect(JSON.parse(run.cause ?? '{}').errorMessage).toContain('volumeArns[0]: ');
    expect(storageGatewayCalls(workflow.emulator)).toEqual(['ListGateways']);
  });
});

describe('a volume named in volumeArns that its gateway does not list', () => {
  it('is a failure the report names, and the volumes that exist are snapshotted', async () => {
    // Prepare
    const workflow = await startLocalWorkflow({ fleet: TEST_FLEET });
    const missing = `${CACHED_GATEWAY_ARN}/volume/vol-DEADBEEF`;

    // Act
    const run = await workflow.run({ volumeArns: [VOLUME_ARN, missing] }).finally(() => workflow.close());

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe(SNAPSHOTS_FAILED);
    expect(run.report?.summary).toMatchObject({ created: 1, failed: 1 });
    expect(run.report?.failures).toEqual([expect.objectContaining({ volumeArn: missing, error: NO_RECOVERY_POINT })]);
  });
});

describe('withoutMachinePaths', () => {
  it("drops the working directory and any other directory, and leaves ARNs' slashes alone", () => {
    const stack = [
      'InvalidInput: cannot read /etc/secret/file.json',
      '    at parse (/srv/app/src/input/parse.ts:1:2)',
      '    at run (file:///opt/nodejs/node_modules/x/y.js:3:4)',
      `    ${VOLUME_ARN}`,
    ].join('\n');
    expect(withoutMachinePaths(stack, '/srv/app')).toBe(
      [
        'InvalidInput: cannot read …/file.json',
        '    at parse (src/input/parse.ts:1:2)',
        '    at run (…/y.js:3:4)',
        `    ${VOLUME_ARN}`,
      ].join('\n'),
    );
  });
});

describe('sgw-snap serve and the CLI at the edges', () => {
  let served: ServedCli;
  let directory: string;
  let sfn: SFNClient;
  let stateMachineArn: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'sgw-hard-edges-'));
    served = await serveForCli({ s3Directory: path.join(directory, 's3') });
    sfn = new SFNClient({
      endpoint: served.env.AWS_ENDPOINT_URL_SFN ?? '',
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    stateMachineArn = served.endpoint.stateMachineArn;
  });
  afterAll(async () => {
    sfn.destroy();
    await served.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('refuses an input over 256 KB with InvalidExecutionInput, and one of exactly 256 KB is taken', async () => {
    // Prepare: an input of the given size in UTF-8 bytes, mostly "é" (two bytes, one UTF-16 unit).
    const sized = (bytes: number) => {
      const free = bytes - JSON.stringify({ note: '' }).length;
      return JSON.stringify({ note: `${'é'.repeat(Math.floor(free / 2))}${'x'.repeat(free % 2)}` });
    };
    const over = sized(PAYLOAD_LIMIT_BYTES + 1);

    // Act
    const refused = await rejectionOf(sfn.send(new StartExecutionCommand({ stateMachineArn, input: over })));
    const taken = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: sized(PAYLOAD_LIMIT_BYTES) }));

    // Assess
    expect(Buffer.byteLength(over)).toBe(PAYLOAD_LIMIT_BYTES + 1);
    expect(over.length).toBeLessThan(PAYLOAD_LIMIT_BYTES);
    expect(refused.name).toBe('InvalidExecutionInput');
    expect(refused.message).toContain(String(PAYLOAD_LIMIT_BYTES));
    expect(taken.executionArn).toContain(':execution:');
  });

  it.each(['', 'n'.repeat(81), 'a b', 'a:b', 'a/b', 'a#b', 'a\u0001b', 'a\ud800b'])(
    'refuses the name %j with InvalidName',
    async (name) => {
      const refused = await rejectionOf(sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: '{}' })));
      expect(refused.name).toBe('InvalidName');
    },
  );

  it("snapshots every volume under a name of every character class Step Functions takes, tagged so it's found", async () => {
    // Prepare: ( ) ! ' are refused in tag values; so are symbols; letters of any script and emoji pass or escape.
    const name = "drill(1)!'-Übung-演習-§-🙂-a=b";
    // The look-up by tag below comes right after the run: inside EC2's visibility lag it would see nothing yet.
    served.stack.emulator?.setFaults([NO_VISIBILITY_LAG]);

    // Act
    const drill = await driveCli(['start', '--name', name, '--wait', '--json'], served.env);

    // Assess
    expect(drill.exitCode).toBe(ExitCode.Succeeded);
    expect(JSON.parse(drill.stdout)).toMatchObject({ summary: { created: 11, failed: 0 } });
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const tagged = await findSnapshotsOfExecution(served.stack.ec2, executionArn);
    expect(tagged).toHaveLength(11);
  });

  it('follows an execution started with the same name and the same input with its keys in another order', async () => {
    // Prepare
    const first = await driveCli(
      [
        'start',
        '--name',
        'same-input',
        '--input',
        '{"dryRun": true, "policy": {"minAgeMinutes": 5, "unknownUsage": "skip"}}',
      ],
      served.env,
    );

    // Act
    const again = await driveCli(
      [
        'start',
        '--name',
        'same-input',
        '--input',
        '{"policy": {"unknownUsage": "skip", "minAgeMinutes": 5}, "dryRun": true}',
      ],
      served.env,
    );
    const other = await driveCli(['start', '--name', 'same-input', '--input', '{"dryRun": false}'], served.env);

    // Assess
    expect(first.exitCode).toBe(ExitCode.Succeeded);
    expect(again.exitCode).toBe(ExitCode.Succeeded);
    expect(again.stderr).not.toContain('different input');
    expect(again.stdout.split('\n')[0]).toBe(first.stdout.split('\n')[0]);
    expect(other.exitCode).toBe(ExitCode.Usage);
    expect(other.stderr).toContain('different input');
  });

  it.each([
    ['start', ['start', '--name', 'never-started', '--wait', '--report']],
    ['status', ['status', 'never-started', '--report']],
    ['report', ['report', 'never-started', '--output']],
  ])('%s: an unwritable report path is a usage error before anything starts', async (_command, args) => {
    // Act
    const missingDirectory = await driveCli([...args, path.join(directory, 'no', 'such', 'dir', 'r.md')], served.env);
    const aDirectory = await driveCli([...args, directory], served.env);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));

    // Assess
    expect(missingDirectory.exitCode).toBe(ExitCode.Usage);
    expect(missingDirectory.stderr).toMatch(/--(report|output): cannot write/);
    expect(aDirectory.exitCode).toBe(ExitCode.Usage);
    expect(aDirectory.stderr).toContain('is a directory');
    expect(listed.executions?.map((e) => e.name)).not.toContain('never-started');
  });

  it('start and run refuse a name Step Functions would refuse: exit 2, a message, nothing started', async () => {
    // Act
    const start = await driveCli(['start', '--name', 'drill:1'], served.env);
    const tooLong = await driveCli(['start', '--name', 'n'.repeat(81)], served.env);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));

    // Assess
    expect(start.exitCode).toBe(ExitCode.Usage);
    expect(start.stderr).toContain('not an execution name Step Functions takes');
    expect(start.stderr).not.toMatch(/\n\s+at /);
    expect(tooLong.exitCode).toBe(ExitCode.Usage);
    expect(listed.executions?.map((e) => e.name)).not.toContain('drill:1');
  });

  it('Ctrl-C during start --wait says the execution goes on and how to follow it, exits 130', async () => {
    // Prepare: SIGINT arrives at the first pause of the wait.
    const signals = new EventEmitter();
    const sleep = async () => {
      signals.emit('SIGINT');
    };

    // Act
    const run = await driveCli(
      ['start', '--name', 'interrupted', '--wait', '--input', '{"dryRun": true}'],
      served.env,
      {
        signals,
        sleep,
      },
    );
    const described = await sfn.send(
      new DescribeExecutionCommand({
        executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:interrupted`,
      }),
    );

    // Assess
    expect(run.exitCode).toBe(ExitCode.Interrupted);
    expect(run.exitCode).toBe(130);
    expect(run.stderr).toContain('goes on running');
    expect(run.stderr).toContain('sgw-snap status interrupted');
    expect(described.status).not.toBe('ABORTED');
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });
});

describe('sgw-snap run --local --name', () => {
  it('refuses a name Step Functions would refuse with exit 2', async () => {
    let stderr = '';
    const program = new Command('sgw-snap')
      .exitOverride()
      .configureOutput({ writeErr: (text) => (stderr += text), writeOut: () => undefined });
    registerRunCommand(program, {
      stdout: { write: () => true },
      stderr: { write: (text) => (stderr += text) },
      env: {},
    });
    const before = process.exitCode;
    process.exitCode = undefined;
    try {
      await runProgram(['node', 'sgw-snap', 'run', '--local', '--name', 'a b'], program);
      expect(process.exitCode).toBe(ExitCode.Usage);
    } finally {
      process.exitCode = before;
    }
    expect(stderr).toContain('not an execution name Step Functions takes');
  });
});
