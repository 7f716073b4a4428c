import { Command } from 'commander';
import { runCommand } from '../../../src/cli/command-runner.ts';
import { runProgram } from '../../../src/cli/program.ts';
import {
  AwsUnreachableError,
  ExitCode,
  InvalidFleetError,
  PermissionDeniedError,
  UsageError,
} from '../../../src/errors.ts';

function captureStderr(): { stderr: { write: (text: string) => boolean }; text: () => string } {
  let text = '';
  return {
    stderr: {
      write: (chunk: string) => {
        text += chunk;
        return true;
      },
    },
    text: () => text,
  };
}

describe('runCommand', () => {
  it('returns what the command returns and writes nothing of its own', async () => {
    // Prepare
    const io = captureStderr();

    // Act
    const code = await runCommand(io, 'list', async () => ExitCode.Failed);

    // Assess
    expect(code).toBe(ExitCode.Failed);
    expect(io.text()).toBe('');
  });

  it.each([
    [new UsageError('--input: not valid JSON'), ExitCode.Usage, 'Run sgw-snap start --help to see its flags.\n'],
    [new InvalidFleetError('fleet.json: not JSON'), ExitCode.Usage, ''],
    [
      new AwsUnreachableError('StartExecution', 'StartExecution: could not reach Step Functions'),
      ExitCode.Unreachable,
      'Check the Region and credentials this shell uses (aws sts get-caller-identity), or point AWS_ENDPOINT_URL_SFN at a local endpoint (sgw-snap serve).\n',
    ],
    [
      new PermissionDeniedError('StartExecution', 'StartExecution was refused', {}, 'states:StartExecution'),
      ExitCode.Unreachable,
      'Ask for states:StartExecution on the identity this shell uses.\n',
    ],
  ])(
    'turns %s into what failed and why, what to do, and the exit code the error carries',
    async (error, exitCode, hint) => {
      // Prepare
      const io = captureStderr();

      // Act
      const code = await runCommand(io, 'start', async () => {
        throw error;
      });

      // Assess
      expect(code).toBe(exitCode);
      expect(io.text()).toBe(`sgw-snap start: ${error.message}\n${hint}`);
    },
  );

  it('exits 1 with the stack for an error that is not ours', async () => {
    // Prepare
    const io = captureStderr();

    // Act
    const code = await runCommand(io, 'serve', async () => {
      throw new TypeError('cannot read properties of undefined');
    });

    // Assess
    expect(code).toBe(ExitCode.Failed);
    expect(io.text()).toMatch(/^sgw-snap serve: TypeError: cannot read properties of undefined\n\s+at /);
  });
});

describe('runProgram', () => {
  let before: typeof process.exitCode;
  beforeEach(() => {
    before = process.exitCode;
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.exitCode = before;
  });

  function program(): Command {
    const root = new Command('sgw-snap').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    root.command('fail').action(() => {
      process.exitCode = ExitCode.Unreachable;
    });
    return root;
  }

  it.each([
    [['fail'], ExitCode.Unreachable],
    [['--help'], ExitCode.Succeeded],
    [['fail', '--no-such-flag'], ExitCode.Usage],
    [['no-such-command'], ExitCode.Usage],
  ])('sgw-snap %j exits %i', async (args, exitCode) => {
    // Act
    await runProgram(['node', 'sgw-snap', ...args], program());

    // Assess
    expect(process.exitCode ?? ExitCode.Succeeded).toBe(exitCode);
  });
});
