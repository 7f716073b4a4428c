import { awsCli, type CliResult, SERVICE_ERROR_EXIT_CODES } from '../helpers/aws-cli.ts';
import { useSfnEndpoint } from '../helpers/emulator.ts';

describe('the local Step Functions endpoint seen by the AWS CLI', () => {
  const served = useSfnEndpoint();

  const aws = (...args: string[]): Promise<CliResult> => awsCli(served.url, ['stepfunctions', ...args]);

  it('lists the state machine, starts an execution, and reads its status, history and listing', async () => {
    // Prepare
    const machines = JSON.parse((await aws('list-state-machines')).stdout) as {
      stateMachines: Array<{ stateMachineArn: string; name: string }>;
    };
    const stateMachineArn = machines.stateMachines[0]?.stateMachineArn ?? '';

    // Act
    const started = JSON.parse(
      (await aws('start-execution', '--state-machine-arn', stateMachineArn, '--name', 'cli-1', '--input', '{}')).stdout,
    ) as { executionArn: string };
    let described: { status: string; output?: string };
    do
      described = JSON.parse(
        (await aws('describe-execution', '--execution-arn', started.executionArn)).stdout,
      ) as typeof described;
    while (described.status === 'RUNNING');
    const history = JSON.parse(
      (await aws('get-execution-history', '--execution-arn', started.executionArn, '--page-size', '10')).stdout,
    ) as { events: Array<{ id: number; type: string }> };
    const listed = JSON.parse(
      (await aws('list-executions', '--state-machine-arn', stateMachineArn, '--status-filter', 'SUCCEEDED')).stdout,
    ) as { executions: Array<{ name: string }> };
    const missing = await aws('describe-execution', '--execution-arn', `${started.executionArn}-missing`);

    // Assess
    expect(machines.stateMachines).toEqual([expect.objectContaining({ name: 'sgw-recovery-snapshots' })]);
    expect(described.status).toBe('SUCCEEDED');
    // The output is the digest: the summary and where the whole report is.
    expect(JSON.parse(described.output ?? '{}')).toMatchObject({
      summary: { created: 11, volumes: 12 },
      failures: [],
      moreFailures: 0,
      evidence: { report: 's3://sgw-snap-evidence/executions/sgw-recovery-snapshots/cli-1/report.json' },
    });
    expect(history.events[0]?.type).toBe('ExecutionStarted');
    expect(history.events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(history.events.map((e) => e.id)).toEqual(history.events.map((_, i) => i + 1));
    expect(listed.executions.map((e) => e.name)).toEqual(['cli-1']);
    expect(SERVICE_ERROR_EXIT_CODES).toContain(missing.code);
    expect(missing.stderr).toContain('ExecutionDoesNotExist');
  });
});
