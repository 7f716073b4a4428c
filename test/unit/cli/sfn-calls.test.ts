import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { StepFunctions } from '../../../src/cli/sfn/step-functions.ts';
import { ExitCode, StateMachineNotFoundError } from '../../../src/errors.ts';
import { DEFAULT_LOCAL_EVIDENCE_BUCKET } from '../../../src/local/s3-server.ts';
import { buildReport, type EvidenceLocations } from '../../../src/report/execution-report.ts';
import { driveCli } from '../../helpers/drive-cli.ts';
import {
  describedDrill,
  EXECUTION_ARN,
  listsDrillStateMachine,
  START,
  STATE_MACHINE_ARN,
  startTestEvidence,
  type TestEvidence,
} from '../../helpers/sfn-fixtures.ts';

const sfnMock = mockClient(SFNClient);
const STOP = new Date('2025-01-15T12:00:09Z');

function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode } });
}

function history(...types: Array<[string, Partial<HistoryEvent>?]>): HistoryEvent[] {
  return types.map(([type, extra], i) => ({
    id: i + 1,
    previousEventId: i,
    type: type as HistoryEvent['type'],
    timestamp: START,
    ...extra,
  }));
}

function serveHistory(events: HistoryEvent[]): void {
  sfnMock.on(GetExecutionHistoryCommand).callsFake((input: { reverseOrder?: boolean }) => ({
    events: input.reverseOrder ? [...events].reverse() : events,
  }));
}

let evidence: TestEvidence;
/** The whole report of the drill, of a fleet without gateways. */
const emptyReport = () =>
  buildReport({
    execution: { id: EXECUTION_ARN, name: 'drill', startTime: START.toISOString() },
    dryRun: false,
    gateways: [],
  });
const deps = () => ({
  sfnClient: new SFNClient({ region: 'eu-west-1' }),
  sleep: async () => {},
  evidence: evidence.reader,
});

describe('the Step Functions calls of sgw-snap', () => {
  beforeAll(async () => {
    evidence = await startTestEvidence();
  });
  afterAll(async () => {
    await evidence.close();
  });
  beforeEach(() => {
    sfnMock.reset();
    listsDrillStateMachine(sfnMock);
  });

  it('finds a state machine by name on a later page of ListStateMachines', async () => {
    // Prepare
    sfnMock
      .on(ListStateMachinesCommand)
      .resolvesOnce({
        stateMachines: [{ name: 'other', stateMachineArn: 'arn:other', type: 'STANDARD', creationDate: START }],
        nextToken: 'page-2',
      })
      .resolvesOnce({
        stateMachines: [
          { name: 'sgw-recovery-snapshots-prod', stateMachineArn: 'arn:prod', type: 'STANDARD', creationDate: START },
        ],
      });
    const sfn = new StepFunctions(new SFNClient({ region: 'eu-west-1' }), 'Step Functions');

    // Act
    const arn = await sfn.stateMachineArn('sgw-recovery-snapshots-prod');

    // Assess
    expect(arn).toBe('arn:prod');
    const calls = sfnMock.commandCalls(ListStateMachinesCommand).map((call) => call.args[0].input.nextToken);
    expect(calls).toEqual([undefined, 'page-2']);
  });

  it('names the state machines there are when none has the name, and takes an ARN without a call', async () => {
    // Prepare
    const sfn = new StepFunctions(new SFNClient({ region: 'eu-west-1' }), 'Step Functions');

    // Act
    const missing = sfn.stateMachineArn('sgw-recovery-snapshots-prod');
    const byArn = await sfn.stateMachineArn(STATE_MACHINE_ARN);

    // Assess
    await expect(missing).rejects.toThrow(StateMachineNotFoundError);
    await expect(missing).rejects.toThrow(/state machines here: sgw-recovery-snapshots-dev/);
    expect(byArn).toBe(STATE_MACHINE_ARN);
    expect(sfnMock.commandCalls(ListStateMachinesCommand)).toHaveLength(1);
  });

  it('lists executions across pages up to --max, newest first as the service gives them', async () => {
    // Prepare
    const item = (name: string) => ({
      name,
      executionArn: `${EXECUTION_ARN}-${name}`,
      stateMachineArn: STATE_MACHINE_ARN,
      status: 'SUCCEEDED' as const,
      startDate: START,
      stopDate: STOP,
    });
    sfnMock
      .on(ListExecutionsCommand)
      .resolvesOnce({ executions: [item('c'), item('b')], nextToken: 'more' })
      .resolvesOnce({ executions: [item('a')] });
    sfnMock.on(DescribeExecutionCommand).callsFake(({ executionArn }: { executionArn: string }) => ({
      ...item(executionArn.slice(executionArn.lastIndexOf('-') + 1)),
      output: JSON.stringify({ summary: { created: 2, existing: 1, skipped: 0, failed: 0 } }),
    }));

    // Act
    const run = await driveCli(['list', '--max', '3', '--status', 'succeeded'], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    expect(run.stdout.match(/^[abc]\s+SUCCEEDED/gm)?.map((line) => line[0])).toEqual(['c', 'b', 'a']);
    // What each made, from its digest: created, existing, skipped, failed.
    expect(run.stdout).toMatch(/^c\s+SUCCEEDED\s+\S+\s+[\d.]+\s+2\s+1\s+0\s+0$/m);
    expect(run.stdout.split('\n')[0]).toMatch(/created\s+existing\s+skipped\s+failed/);
    const inputs = sfnMock.commandCalls(ListExecutionsCommand).map((call) => call.args[0].input);
    expect(inputs).toEqual([
      { stateMachineArn: STATE_MACHINE_ARN, maxResults: 3, statusFilter: 'SUCCEEDED' },
      { stateMachineArn: STATE_MACHINE_ARN, maxResults: 1, statusFilter: 'SUCCEEDED', nextToken: 'more' },
    ]);
  });

  it.each(['StartExecution', 'ListStateMachines'] as const)(
    'exits 3 and names the permission when %s is denied',
    async (call) => {
      // Prepare
      const denied = awsError(
        'AccessDeniedException',
        `User: arn:aws:iam::123456789012:user/op is not authorized to perform: states:${call}`,
      );
      if (call === 'StartExecution') sfnMock.on(StartExecutionCommand).rejects(denied);
      else sfnMock.on(ListStateMachinesCommand).rejects(denied);

      // Act
      const run = await driveCli(['start'], {}, deps());

      // Assess
      expect(run.exitCode).toBe(ExitCode.Unreachable);
      expect(run.stderr).toContain(`${call} was refused: the caller lacks the permission states:${call}`);
    },
  );

  it('exits 3 when the credentials are refused', async () => {
    // Prepare
    sfnMock
      .on(ListStateMachinesCommand)
      .rejects(awsError('UnrecognizedClientException', 'The security token included in the request is invalid.'));

    // Act
    const run = await driveCli(['list'], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Unreachable);
    expect(run.stderr).toContain('the AWS credentials were not accepted');
  });

  it('follows the execution a name already has when the input is the same', async () => {
    // Prepare
    sfnMock
      .on(StartExecutionCommand)
      .rejects(awsError('ExecutionAlreadyExists', `Execution Already Exists: '${EXECUTION_ARN}'`));
    const { report, digest } = await evidence.write(emptyReport());
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves(describedDrill({ stopDate: STOP, input: '{ "dryRun": false }', output: JSON.stringify(digest) }));
    serveHistory(history(['ExecutionStarted'], ['ExecutionSucceeded']));

    // Act
    const run = await driveCli(
      ['start', '--name', 'drill', '--input', '{"dryRun":false}', '--wait', '--json'],
      {},
      deps(),
    );

    // Assess
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    // --json: stderr carries errors only; without it the same run says which execution it follows.
    expect(run.stderr).toBe('');
    const told = await driveCli(['start', '--name', 'drill', '--input', '{"dryRun":false}', '--wait'], {}, deps());
    expect(told.stderr).toContain('execution drill already exists (SUCCEEDED');
    expect(JSON.parse(run.stdout)).toEqual(report);
    expect(sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: STATE_MACHINE_ARN,
      name: 'drill',
      input: '{"dryRun":false}',
    });
    expect(sfnMock.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({ executionArn: EXECUTION_ARN });
  });

  it('exits 1 and names the object when the report its output points to is not in the evidence', async () => {
    // Prepare
    const { digest } = await evidence.write(emptyReport());
    const gone = `s3://${DEFAULT_LOCAL_EVIDENCE_BUCKET}/executions/sgw-recovery-snapshots-dev/expired/report.json`;
    const expired = { ...digest, evidence: { ...(digest.evidence as EvidenceLocations), report: gone } };
    sfnMock.on(DescribeExecutionCommand).resolves(describedDrill({ stopDate: STOP, output: JSON.stringify(expired) }));

    // Act
    const run = await driveCli(['status', EXECUTION_ARN], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Failed);
    expect(run.stderr).toContain(`${gone} does not exist (NoSuchKey)`);
  });

  it('exits 3 and names the S3 endpoint when the evidence cannot be reached', async () => {
    // Prepare
    const { digest } = await evidence.write(emptyReport());
    sfnMock.on(DescribeExecutionCommand).resolves(describedDrill({ stopDate: STOP, output: JSON.stringify(digest) }));
    const { evidence: _, ...withoutReader } = deps();

    // Act
    const run = await driveCli(['status', EXECUTION_ARN], { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' }, withoutReader);

    // Assess
    expect(run.exitCode).toBe(ExitCode.Unreachable);
    expect(run.stderr).toContain('GetObject: could not reach S3 at http://127.0.0.1:9');
  });

  it('exits 2 when the name is taken by an execution with another input', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists', 'Execution Already Exists'));
    sfnMock.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION_ARN,
      stateMachineArn: STATE_MACHINE_ARN,
      status: 'RUNNING',
      startDate: START,
      input: '{"dryRun":true}',
    });

    // Act
    const run = await driveCli(['start', '--name', 'drill'], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Usage);
    expect(run.stderr).toContain('An execution named drill already exists with a different input');
  });

  it.each([
    ['TIMED_OUT', undefined, undefined, 'States.Timeout'],
    ['ABORTED', undefined, undefined, 'ABORTED'],
    ['FAILED', 'InvalidInput', 'policy.minAgeMinutes: Too small', 'InvalidInput: policy.minAgeMinutes: Too small'],
  ] as const)('exits 1 when the execution ends %s, and says why', async (status, error, cause, line) => {
    // Prepare
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXECUTION_ARN, startDate: START });
    sfnMock.on(DescribeExecutionCommand).resolves(
      describedDrill({
        status,
        stopDate: STOP,
        ...(status === 'TIMED_OUT' ? { error: 'States.Timeout' } : {}),
        ...(error ? { error, cause } : {}),
      }),
    );
    const closing = { TIMED_OUT: 'ExecutionTimedOut', ABORTED: 'ExecutionAborted', FAILED: 'ExecutionFailed' }[status];
    serveHistory(history(['ExecutionStarted'], [closing]));

    // Act
    const run = await driveCli(['start', '--wait'], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Failed);
    expect(run.stdout).toContain(`Execution drill ${status} in 9.0 s`);
    expect(run.stdout).toContain(line);
  });

  it.each([
    [['start', '--report', 'drill.md'], '--report needs --wait'],
    [['start', '--input', '{oops'], '--input: not valid JSON'],
  ])('exits 2 for %j', async (args, message) => {
    // Act
    const run = await driveCli(args, {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(message);
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('polls the history newest first and reads only what is new', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXECUTION_ARN, startDate: START });
    const events = history(['ExecutionStarted'], ['TaskStateEntered'], ['ExecutionSucceeded']);
    let visible = 2;
    sfnMock.on(GetExecutionHistoryCommand).callsFake(() => {
      const shown = events.slice(0, visible);
      visible = events.length;
      return { events: shown.reverse() };
    });
    sfnMock.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION_ARN,
      stateMachineArn: STATE_MACHINE_ARN,
      name: 'drill',
      status: 'SUCCEEDED',
      startDate: START,
      stopDate: STOP,
      output: 'null',
    });

    // Act
    const run = await driveCli(['start', '--wait'], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    expect(run.stderr.match(/execution started/g)).toHaveLength(1);
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand).map((call) => call.args[0].input.reverseOrder)).toEqual([
      true,
      true,
    ]);
  });
});
