import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { ExitCode, SNAPSHOTS_FAILED } from '../../../src/errors.ts';
import type { ExecutionReport } from '../../../src/report/execution-report.ts';
import { driveCli } from './drive-cli.ts';
import { describedDrill, EXECUTION_ARN, GATEWAY_ARN as GATEWAY, START, STATE_MACHINE_ARN } from './sfn-fixtures.ts';

const sfnMock = mockClient(SFNClient);
const stsMock = mockClient(STSClient);
const STOP = new Date('2025-01-15T12:00:09Z');
const FAILED_VOLUMES = ['vol-0000000A', 'vol-0000000B', 'vol-0000000C'];

function reportFailing(volumeIds: readonly string[], omitted?: number): ExecutionReport {
  return {
    dryRun: false,
    execution: { id: EXECUTION_ARN, name: 'drill', startTime: START.toISOString() },
    summary: {
      gateways: 1,
      recoveryPoints: 3,
      selected: 3,
      created: 0,
      existing: 0,
      wouldCreate: 0,
      skipped: 0,
      failed: 3,
      skippedByReason: {},
    },
    snapshots: [],
    skipped: [],
    failures: volumeIds.map((id) => ({
      gatewayArn: GATEWAY,
      volumeArn: `${GATEWAY}/volume/${id}`,
      error: 'InvalidGatewayRequestException',
      cause: 'gateway offline',
    })),
    manifest: [],
    ...(omitted ? { omitted: { failures: omitted } } : {}),
  };
}

// The cause names the first failure only, as a cut cause of a large fleet does; the Fail state's input names all.
const WHOLE_REPORT = reportFailing(FAILED_VOLUMES);
const CUT_REPORT = reportFailing(FAILED_VOLUMES.slice(0, 1), 2);

function history(failStateEntered: Partial<HistoryEvent> | undefined): HistoryEvent[] {
  const events: Array<Partial<HistoryEvent>> = [
    { type: 'ExecutionStarted' },
    { type: 'PassStateEntered', stateEnteredEventDetails: { name: 'Summarise', input: '{}' } },
    ...(failStateEntered ? [{ type: 'FailStateEntered' as const, ...failStateEntered }] : []),
    {
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: SNAPSHOTS_FAILED, cause: JSON.stringify(CUT_REPORT) },
    },
  ];
  return events.map((event, i) => ({ id: i + 1, previousEventId: i, timestamp: START, ...event }) as HistoryEvent);
}

const ENTERED_WITH_WHOLE_REPORT: Partial<HistoryEvent> = {
  stateEnteredEventDetails: {
    name: 'SnapshotsFailed',
    input: JSON.stringify({ report: WHOLE_REPORT, failed: true, cause: JSON.stringify(CUT_REPORT) }),
    inputDetails: { truncated: false },
  },
};

function serve(events: HistoryEvent[], failure = { error: SNAPSHOTS_FAILED, cause: JSON.stringify(CUT_REPORT) }): void {
  sfnMock.on(ListStateMachinesCommand).resolves({
    stateMachines: [
      {
        name: 'sgw-recovery-snapshots-dev',
        stateMachineArn: STATE_MACHINE_ARN,
        type: 'STANDARD',
        creationDate: START,
      },
    ],
  });
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXECUTION_ARN, startDate: START });
  sfnMock.on(DescribeExecutionCommand).resolves(describedDrill({ status: 'FAILED', stopDate: STOP, ...failure }));
  sfnMock
    .on(GetExecutionHistoryCommand)
    .callsFake((input: { reverseOrder?: boolean; includeExecutionData?: boolean; maxResults?: number }) => {
      const ordered = input.reverseOrder ? [...events].reverse() : events;
      return { events: ordered.slice(0, input.maxResults) };
    });
}

const deps = () => ({
  sfnClient: new SFNClient({ region: 'eu-west-1' }),
  sts: new STSClient({ region: 'eu-west-1' }),
  sleep: async () => {},
});
const failedVolumesOf = (stdout: string) =>
  (JSON.parse(stdout) as ExecutionReport).failures.map((failure) => failure.volumeArn?.split('/').at(-1));

describe('the report of an execution that failed with SnapshotsFailed', () => {
  let dir: string;
  beforeEach(async () => {
    sfnMock.reset();
    stsMock.reset();
    stsMock
      .on(GetCallerIdentityCommand)
      .resolves({ Arn: 'arn:aws:iam::123456789012:user/operator', Account: '123456789012' });
    dir = await mkdtemp(join(tmpdir(), 'sgw-snap-fail-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['start', '--wait'],
    ['status', 'drill'],
  ])(
    'comes whole from the Fail state input in the history, not from the cut cause: `%s %s --json --report`',
    async (...command) => {
      // Prepare
      serve(history(ENTERED_WITH_WHOLE_REPORT));
      const reportPath = join(dir, 'drill.md');

      // Act
      const run = await driveCli([...command, '--json', '--report', reportPath], {}, deps());

      // Assess
      expect(run.exitCode).toBe(ExitCode.Failed);
      expect(JSON.parse(run.stdout)).toEqual(WHOLE_REPORT);
      const markdown = await readFile(reportPath, 'utf8');
      for (const volumeId of FAILED_VOLUMES)
        expect(markdown).toMatch(new RegExp(`\\| ${volumeId} \\|.*FAILED: InvalidGatewayRequestException`));
      expect(markdown).not.toContain('was cut');
    },
  );

  it('is read by `status` from the newest events of the history, with their data', async () => {
    // Prepare
    serve(history(ENTERED_WITH_WHOLE_REPORT));

    // Act
    const run = await driveCli(['status', 'drill'], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Failed);
    for (const volumeId of FAILED_VOLUMES) expect(run.stdout).toContain(volumeId);
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand).map((call) => call.args[0].input)).toEqual([
      { executionArn: EXECUTION_ARN, reverseOrder: true, includeExecutionData: true, maxResults: 10 },
    ]);
  });

  it.each([
    ['the state was not entered', undefined],
    ['the event carries no input', { stateEnteredEventDetails: { name: 'SnapshotsFailed' } }],
    [
      'the input was truncated',
      {
        stateEnteredEventDetails: { name: 'SnapshotsFailed', input: '{"report":{', inputDetails: { truncated: true } },
      },
    ],
  ] as const)('comes from the cause when %s', async (_, entered) => {
    // Prepare
    serve(history(entered));

    // Act
    const started = await driveCli(['start', '--wait', '--json'], {}, deps());
    const status = await driveCli(['status', 'drill', '--json'], {}, deps());

    // Assess
    expect(failedVolumesOf(started.stdout)).toEqual(FAILED_VOLUMES.slice(0, 1));
    expect(failedVolumesOf(status.stdout)).toEqual(FAILED_VOLUMES.slice(0, 1));
    expect(JSON.parse(status.stdout)).toEqual(CUT_REPORT);
  });

  it('comes from the cause when reading the history is refused, and `status` says so and exits 1', async () => {
    // Prepare
    serve(history(ENTERED_WITH_WHOLE_REPORT));
    const denied = Object.assign(new Error('not authorized to perform: states:GetExecutionHistory'), {
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    sfnMock.on(GetExecutionHistoryCommand).rejects(denied);

    // Act
    const run = await driveCli(['status', 'drill', '--json'], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Failed);
    expect(JSON.parse(run.stdout)).toEqual(CUT_REPORT);
    expect(run.stderr).toContain('the report comes from the failure cause');
    expect(run.stderr).toContain('states:GetExecutionHistory');
  });

  it('is not looked for in the history of an execution that failed otherwise', async () => {
    // Prepare
    serve(history(undefined), { error: 'InvalidInput', cause: 'policy.minAgeMinutes: Too small' });

    // Act
    const run = await driveCli(['status', 'drill'], {}, deps());

    // Assess
    expect(run.stdout).toContain('InvalidInput: policy.minAgeMinutes: Too small');
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand)).toHaveLength(0);
  });
});
