import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { ExitCode, SNAPSHOTS_FAILED } from '../../../src/errors.ts';
import {
  buildReport,
  DIGEST_FAILURES,
  type ExecutionReport,
  type ReportDigest,
} from '../../../src/report/execution-report.ts';
import { driveCli } from '../../helpers/drive-cli.ts';
import {
  describedDrill,
  EXECUTION_ARN,
  GATEWAY_ARN as GATEWAY,
  listsDrillStateMachine,
  START,
  startTestEvidence,
  type TestEvidence,
} from '../../helpers/sfn-fixtures.ts';

const sfnMock = mockClient(SFNClient);
const stsMock = mockClient(STSClient);
const STOP = new Date('2025-01-15T12:00:09Z');
// More failures than the digest names: the rest are only in the evidence.
const FAILED_VOLUMES = Array.from(
  { length: DIGEST_FAILURES + 3 },
  (_, i) => `vol-0000000${i.toString(16).toUpperCase()}`,
);

function reportFailing(volumeIds: readonly string[]): ExecutionReport {
  return buildReport({
    execution: { id: EXECUTION_ARN, name: 'drill', startTime: START.toISOString() },
    dryRun: false,
    gateways: [
      {
        gatewayArn: GATEWAY,
        recoveryPoints: volumeIds.length,
        selected: volumeIds.length,
        snapshots: [],
        skipped: [],
        failures: volumeIds.map((id) => ({
          gatewayArn: GATEWAY,
          volumeArn: `${GATEWAY}/volume/${id}`,
          error: 'InvalidGatewayRequestException',
          cause: 'gateway offline',
        })),
        earlierSnapshots: [],
      },
    ],
  });
}

let evidence: TestEvidence;
/** The execution's whole report, as its evidence holds it. */
let WHOLE_REPORT: ExecutionReport;
/** What the execution carries: the Fail state's input holds it, and its cause is it as JSON. */
let DIGEST: ReportDigest;

function history(failStateEntered: Partial<HistoryEvent> | undefined): HistoryEvent[] {
  const events: Array<Partial<HistoryEvent>> = [
    { type: 'ExecutionStarted' },
    { type: 'PassStateEntered', stateEnteredEventDetails: { name: 'Summarise', input: '{}' } },
    ...(failStateEntered ? [{ type: 'FailStateEntered' as const, ...failStateEntered }] : []),
    {
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: SNAPSHOTS_FAILED, cause: JSON.stringify(DIGEST) },
    },
  ];
  return events.map((event, i) => ({ id: i + 1, previousEventId: i, timestamp: START, ...event }) as HistoryEvent);
}

const enteredWithDigest = (): Partial<HistoryEvent> => ({
  stateEnteredEventDetails: {
    name: 'SnapshotsFailed',
    input: JSON.stringify({ digest: DIGEST, failed: true, cause: JSON.stringify(DIGEST) }),
    inputDetails: { truncated: false },
  },
});

function serve(events: HistoryEvent[], failure?: { error: string; cause: string }): void {
  listsDrillStateMachine(sfnMock);
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXECUTION_ARN, startDate: START });
  sfnMock.on(DescribeExecutionCommand).resolves(
    describedDrill({
      status: 'FAILED',
      stopDate: STOP,
      ...(failure ?? { error: SNAPSHOTS_FAILED, cause: JSON.stringify(DIGEST) }),
    }),
  );
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
  evidence: evidence.reader,
});

describe('the report of an execution that failed with SnapshotsFailed', () => {
  let dir: string;
  beforeAll(async () => {
    evidence = await startTestEvidence();
    ({ report: WHOLE_REPORT, digest: DIGEST } = await evidence.write(reportFailing(FAILED_VOLUMES)));
  });
  afterAll(async () => {
    await evidence.close();
  });
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

  it('carries a digest of a fixed size: the first failures, how many more, and where the whole report is', () => {
    // Assess
    expect(DIGEST.failures).toHaveLength(DIGEST_FAILURES);
    expect(DIGEST.moreFailures).toBe(3);
    expect(DIGEST.evidence?.report).toBe(
      's3://sgw-snap-evidence/executions/sgw-recovery-snapshots-dev/drill/report.json',
    );
  });

  it.each([
    ['start', '--wait'],
    ['status', 'drill'],
  ])(
    'is read whole from the evidence the digest names, every failure in it: `%s %s --json --report`',
    async (...command) => {
      // Prepare
      serve(history(enteredWithDigest()));
      const reportPath = join(dir, 'drill.md');

      // Act
      const run = await driveCli([...command, '--json', '--report', reportPath], {}, deps());

      // Assess
      expect(run.exitCode).toBe(ExitCode.Failed);
      expect(JSON.parse(run.stdout)).toEqual(WHOLE_REPORT);
      const markdown = await readFile(reportPath, 'utf8');
      for (const volumeId of FAILED_VOLUMES)
        expect(markdown).toMatch(new RegExp(`\\| ${volumeId} \\|.*\\| FAILED: InvalidGatewayRequestException \\|`));
      expect(markdown).toContain('| Evidence | s3://sgw-snap-evidence/executions/sgw-recovery-snapshots-dev/drill/ |');
      // --json: the verdict is in the report file; stderr carries errors only.
      expect(markdown).toContain('**Result: FAILED');
      expect(run.stderr).toBe('');
    },
  );

  it('is read by `status` from the newest events of the history, with their data', async () => {
    // Prepare
    serve(history(enteredWithDigest()));

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
        stateEnteredEventDetails: { name: 'SnapshotsFailed', input: '{"digest":{', inputDetails: { truncated: true } },
      },
    ],
  ] as const)('is found from the digest in the cause when %s', async (_, entered) => {
    // Prepare
    serve(history(entered));

    // Act
    const started = await driveCli(['start', '--wait', '--json'], {}, deps());
    const status = await driveCli(['status', 'drill', '--json'], {}, deps());

    // Assess
    expect(started.exitCode).toBe(ExitCode.Failed);
    expect(JSON.parse(started.stdout)).toEqual(WHOLE_REPORT);
    expect(JSON.parse(status.stdout)).toEqual(WHOLE_REPORT);
  });

  it('is found from the cause when reading the history is refused, and `status` says so and exits 1', async () => {
    // Prepare
    serve(history(enteredWithDigest()));
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
    expect(JSON.parse(run.stdout)).toEqual(WHOLE_REPORT);
    expect(run.stderr).toContain('comes from the failure cause');
    expect(run.stderr).toContain('states:GetExecutionHistory');
  });

  it('is not looked for in the history or the evidence of an execution that failed otherwise', async () => {
    // Prepare
    serve(history(undefined), { error: 'InvalidInput', cause: 'policy.minAgeMinutes: Too small' });
    const reportPath = join(dir, 'drill.md');

    // Act
    const run = await driveCli(['status', 'drill', '--report', reportPath], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Failed);
    expect(run.stdout).toContain('InvalidInput: policy.minAgeMinutes: Too small');
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand)).toHaveLength(0);
    const markdown = await readFile(reportPath, 'utf8');
    expect(markdown).toContain('**Result: FAILED (execution FAILED)**');
    expect(markdown).toContain('| InvalidInput | policy.minAgeMinutes: Too small |');
  });
});
