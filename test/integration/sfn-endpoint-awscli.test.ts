import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createSfnEndpoint, type SfnEndpoint } from '../../src/local/sfn-endpoint/index.ts';

const run = promisify(execFile);
const MISSING_CLI = 'The AWS CLI (`aws`) is not on PATH; install it (apt-get install -y awscli) to run this test.';
// A service error ends AWS CLI v1 with 255 and v2 with 254.
const SERVICE_ERROR_EXIT_CODES = [254, 255];

// Only dummy credentials and settings reach the CLI: no profile, config file or endpoint of the host.
function cliEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

describe('the local Step Functions endpoint seen by the AWS CLI', () => {
  let endpoint: SfnEndpoint;
  let url: string;
  beforeAll(async () => {
    endpoint = createSfnEndpoint({ env: {} });
    ({ url } = await endpoint.listen());
  });
  afterAll(async () => {
    await endpoint.close();
  });

  const aws = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run('aws', ['stepfunctions', ...args, '--endpoint-url', url, '--region', 'us-east-1', '--output', 'json'], { env: cliEnv() });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number | string; stdout?: string; stderr?: string };
      if (failed.code === 'ENOENT') throw new Error(MISSING_CLI, { cause: error });
      return { code: Number(failed.code), stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };

  it('lists the state machine, starts an execution, and reads its status, history and listing', async () => {
    // Prepare
    const machines = JSON.parse((await aws('list-state-machines')).stdout) as { stateMachines: Array<{ stateMachineArn: string; name: string }> };
    const stateMachineArn = machines.stateMachines[0]?.stateMachineArn ?? '';

    // Act
    const started = JSON.parse((await aws('start-execution', '--state-machine-arn', stateMachineArn, '--name', 'cli-1', '--input', '{}')).stdout) as { executionArn: string };
    let described: { status: string; output?: string };
    do described = JSON.parse((await aws('describe-execution', '--execution-arn', started.executionArn)).stdout) as typeof described;
    while (described.status === 'RUNNING');
    const history = JSON.parse((await aws('get-execution-history', '--execution-arn', started.executionArn, '--page-size', '10')).stdout) as { events: Array<{ id: number; type: string }> };
    const listed = JSON.parse((await aws('list-executions', '--state-machine-arn', stateMachineArn, '--status-filter', 'SUCCEEDED')).stdout) as { executions: Array<{ name: string }> };
    const missing = await aws('describe-execution', '--execution-arn', `${started.executionArn}-missing`);

    // Assess
    expect(machines.stateMachines).toEqual([expect.objectContaining({ name: 'sgw-recovery-snapshots' })]);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '{}')).toMatchObject({ summary: { created: 11 } });
    expect(history.events[0]?.type).toBe('ExecutionStarted');
    expect(history.events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(history.events.map((e) => e.id)).toEqual(history.events.map((_, i) => i + 1));
    expect(listed.executions.map((e) => e.name)).toEqual(['cli-1']);
    expect(SERVICE_ERROR_EXIT_CODES).toContain(missing.code);
    expect(missing.stderr).toContain('ExecutionDoesNotExist');
  });
});
