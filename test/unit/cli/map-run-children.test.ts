import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { MapRunChildren } from '../../../src/cli/sfn/map-run-children.ts';
import { StepFunctions } from '../../../src/cli/sfn/step-functions.ts';
import { ExitCode } from '../../../src/errors.ts';
import { buildReport, type ExecutionReport, type ReportDigest } from '../../../src/report/execution-report.ts';
import type { GatewayReport } from '../../../src/report/gateway-report.ts';
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
const stsMock = mockClient(STSClient);

const MAP_RUN_ARN =
  'arn:aws:states:eu-west-1:123456789012:mapRun:sgw-recovery-snapshots-dev/Gateways:0b7c8f0e-4b6e-3f2a-9c1d-5e6f7a8b9c0d';
const childArn = (id: string) =>
  `arn:aws:states:eu-west-1:123456789012:execution:sgw-recovery-snapshots-dev/Gateways:${id}`;
const CHILD_A = childArn('a1b2c3d4-0000-4000-8000-00000000000a');
const CHILD_B = childArn('a1b2c3d4-0000-4000-8000-00000000000b');
const GATEWAY_A = 'arn:aws:storagegateway:eu-west-1:123456789012:gateway/sgw-AAAA1111';
const GATEWAY_B = 'arn:aws:storagegateway:eu-west-1:123456789012:gateway/sgw-BBBB2222';
const VOLUME_A = `${GATEWAY_A}/volume/vol-AAAA0001`;
const VOLUME_B = `${GATEWAY_B}/volume/vol-BBBB0001`;
const STOP = new Date('2025-01-15T12:05:00Z');
const at = (time: string) => new Date(`2025-01-15T${time}Z`);
const GIB = 2 ** 30;

function history(...events: Array<[string, Date, Partial<HistoryEvent>?]>): HistoryEvent[] {
  return events.map(([type, timestamp, details], i) => ({
    id: i + 1,
    previousEventId: i,
    type: type as HistoryEvent['type'],
    timestamp,
    ...details,
  }));
}

const PARENT = history(
  ['ExecutionStarted', at('12:00:00')],
  ['MapRunStarted', at('12:00:01'), { mapRunStartedEventDetails: { mapRunArn: MAP_RUN_ARN } }],
  ['MapRunSucceeded', at('12:03:00')],
  ['ExecutionSucceeded', at('12:05:00')],
);

/** A gateway's child execution: it lists one recovery point and snapshots it at `madeAt`. */
function childHistory(
  gatewayArn: string,
  volumeArn: string,
  snapshotId: string,
  recoveryPointTime: string,
  madeAt: string,
): HistoryEvent[] {
  const listed = { gatewayArn, listed: { recoveryPoints: 1, selected: [{ volumeArn }], skipped: [], failures: [] } };
  const created = { volumeArn, snapshotId, status: 'created', recoveryPointTime };
  return history(
    ['ExecutionStarted', at('12:00:02'), { executionStartedEventDetails: { input: JSON.stringify({ gatewayArn }) } }],
    [
      'TaskStateExited',
      at('12:00:05'),
      { stateExitedEventDetails: { name: 'ListRecoveryPoints', output: JSON.stringify(listed) } },
    ],
    [
      'TaskStateExited',
      at(madeAt),
      { stateExitedEventDetails: { name: 'CreateSnapshot', output: JSON.stringify(created) } },
    ],
    ['ExecutionSucceeded', at(madeAt)],
  );
}

const HISTORIES: Record<string, HistoryEvent[]> = {
  [EXECUTION_ARN]: PARENT,
  [CHILD_A]: childHistory(GATEWAY_A, VOLUME_A, 'snap-aaaa0001', '2025-01-15T11:30:00.000Z', '12:01:00'),
  [CHILD_B]: childHistory(GATEWAY_B, VOLUME_B, 'snap-bbbb0001', '2025-01-15T11:45:00.000Z', '12:02:30'),
};

/** A gateway's account in the evidence: one recovery point snapshotted, with the time `CreateSnapshot` gave it. */
function gatewaySnapshotted(
  gatewayArn: string,
  volumeArn: string,
  snapshotId: string,
  recoveryPointTime: string,
  snapshotTime: string,
): GatewayReport {
  const snapshot = { volumeArn, recoveryPointTime, snapshotId, snapshotTime, sizeBytes: 100 * GIB };
  return {
    gatewayArn,
    recoveryPoints: 1,
    selected: 1,
    snapshots: [{ gatewayArn, ...snapshot, status: 'created' }],
    skipped: [],
    failures: [],
    earlierSnapshots: [],
  };
}

/** The whole report the evidence holds. */
const REPORT: ExecutionReport = buildReport({
  execution: { id: EXECUTION_ARN, name: 'drill', startTime: START.toISOString() },
  dryRun: false,
  gateways: [
    gatewaySnapshotted(GATEWAY_A, VOLUME_A, 'snap-aaaa0001', '2025-01-15T11:30:00.000Z', '2025-01-15T12:01:00.000Z'),
    gatewaySnapshotted(GATEWAY_B, VOLUME_B, 'snap-bbbb0001', '2025-01-15T11:45:00.000Z', '2025-01-15T12:02:30.000Z'),
  ],
});

/**
 * Serves each history as it stands at `tick()`: `visible[arn][tick]` events of it, the last count
 * once the ticks run out. `GetExecutionHistory` answers newest first when asked, as the CLI asks.
 */
function serveHistories(visible: Record<string, number[]>, tick: () => number): void {
  sfnMock.on(GetExecutionHistoryCommand).callsFake((input: { executionArn: string; reverseOrder?: boolean }) => {
    const counts = visible[input.executionArn] ?? [];
    const shown = (HISTORIES[input.executionArn] ?? []).slice(0, counts[Math.min(tick(), counts.length - 1)] ?? 0);
    return { events: input.reverseOrder ? shown.reverse() : shown };
  });
}

/** The map run's children on two pages, newest first, as `ListExecutions` gives them. */
function serveChildren(): void {
  const item = (executionArn: string, name: string): ExecutionListItem => ({
    executionArn,
    name,
    stateMachineArn: `${STATE_MACHINE_ARN}/Gateways`,
    mapRunArn: MAP_RUN_ARN,
    status: 'RUNNING',
    startDate: at('12:00:02'),
  });
  sfnMock
    .on(ListExecutionsCommand)
    .callsFake((input: { nextToken?: string }) =>
      input.nextToken === 'page-2'
        ? { executions: [item(CHILD_A, 'a')] }
        : { executions: [item(CHILD_B, 'b')], nextToken: 'page-2' },
    );
}

function historyReadsOf(executionArn: string): number {
  return sfnMock
    .commandCalls(GetExecutionHistoryCommand)
    .filter((call) => call.args[0].input.executionArn === executionArn).length;
}

describe('following a Distributed Map run into its child executions', () => {
  let dir: string;
  let ticks: number;
  let evidence: TestEvidence;
  /** The execution's output: the digest of `REPORT`, naming where it is. */
  let digest: ReportDigest;
  const deps = () => ({
    sfnClient: new SFNClient({ region: 'eu-west-1' }),
    sts: new STSClient({ region: 'eu-west-1' }),
    sleep: async () => {
      ticks += 1;
    },
    evidence: evidence.reader,
  });

  beforeAll(async () => {
    evidence = await startTestEvidence();
    ({ digest } = await evidence.write(REPORT));
  });
  afterAll(async () => {
    await evidence.close();
  });

  beforeEach(async () => {
    sfnMock.reset();
    stsMock.reset();
    ticks = 0;
    dir = await mkdtemp(join(tmpdir(), 'sgw-map-run-'));
    stsMock
      .on(GetCallerIdentityCommand)
      .resolves({ Arn: 'arn:aws:iam::123456789012:user/operator', Account: '123456789012' });
    listsDrillStateMachine(sfnMock);
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXECUTION_ARN, startDate: START });
    sfnMock.on(DescribeExecutionCommand).resolves(describedDrill({ stopDate: STOP, output: JSON.stringify(digest) }));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('start --wait tells each gateway’s steps from its child execution and counts them; the drill report is the evidence’s', async () => {
    // Prepare: gateway A's child ends at the second poll, B's and the parent at the third.
    serveHistories({ [EXECUTION_ARN]: [2, 2, 4], [CHILD_A]: [2, 4], [CHILD_B]: [1, 2, 4] }, () => ticks);
    serveChildren();
    const reportPath = join(dir, 'drill.md');

    // Act
    const run = await driveCli(['start', '--wait', '--verbose', '--report', reportPath], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      '[+0.0s] execution started',
      '[+5.0s] gateway sgw-AAAA1111: 1 recovery points, 1 to snapshot, 0 skipped',
      '[+5.0s] gateway sgw-BBBB2222: 1 recovery points, 1 to snapshot, 0 skipped',
      '[+60.0s] snapshot snap-aaaa0001 of vol-AAAA0001 on sgw-AAAA1111 (recovery point 2025-01-15T11:30:00.000Z)',
      '[+150.0s] snapshot snap-bbbb0001 of vol-BBBB0001 on sgw-BBBB2222 (recovery point 2025-01-15T11:45:00.000Z)',
      '[+300.0s] execution SUCCEEDED',
      'gateways 2 · created 2 · existing 0 · skipped 0 · failed 0 · retries 0',
      `drill report written to ${reportPath}: PASSED`,
    ]);
    const markdown = await readFile(reportPath, 'utf8');
    expect(markdown).toContain(
      '| vol-AAAA0001 | 100 GiB | snap-aaaa0001 | created | 2025-01-15T11:30:00.000Z | 2025-01-15T12:01:00.000Z | 31 min 00 s | 30 min 00 s | — | created |',
    );
    expect(markdown).toContain(
      '| vol-BBBB0001 | 100 GiB | snap-bbbb0001 | created | 2025-01-15T11:45:00.000Z | 2025-01-15T12:02:30.000Z | 17 min 30 s | 15 min 00 s | — | created |',
    );
    expect(markdown).not.toContain('≤');
  });

  it('start --wait reads an ended child no more, and lists the children once more after the map run ends, not on every poll', async () => {
    // Prepare: the map run ends at the second poll; the parent goes on until the fourth.
    serveHistories({ [EXECUTION_ARN]: [2, 3, 3, 4], [CHILD_A]: [4], [CHILD_B]: [2, 4] }, () => ticks);
    serveChildren();

    // Act
    const run = await driveCli(['start', '--wait'], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    expect(run.stderr).toContain('gateways 2 · created 2');
    expect(historyReadsOf(EXECUTION_ARN)).toBe(4);
    expect(historyReadsOf(CHILD_A)).toBe(1);
    expect(historyReadsOf(CHILD_B)).toBe(2);
    // Two pages at the first poll, two at the second (the one that saw the map run end), none after.
    const listings = sfnMock.commandCalls(ListExecutionsCommand).map((call) => call.args[0].input);
    expect(listings).toEqual([
      { mapRunArn: MAP_RUN_ARN, maxResults: 1000 },
      { mapRunArn: MAP_RUN_ARN, maxResults: 1000, nextToken: 'page-2' },
      { mapRunArn: MAP_RUN_ARN, maxResults: 1000 },
      { mapRunArn: MAP_RUN_ARN, maxResults: 1000, nextToken: 'page-2' },
    ]);
  });

  it('status counts the progress of a running execution from its children, and --report reads the ended one’s evidence', async () => {
    // Prepare: a look while gateway A has made its snapshot and B has not, then a report once it has ended.
    let phase = 0;
    serveHistories({ [EXECUTION_ARN]: [2, 4], [CHILD_A]: [4], [CHILD_B]: [2, 4] }, () => phase);
    serveChildren();
    sfnMock.on(DescribeExecutionCommand).callsFake(() => ({
      executionArn: EXECUTION_ARN,
      stateMachineArn: STATE_MACHINE_ARN,
      name: 'drill',
      startDate: START,
      input: '{}',
      ...(phase === 0
        ? { status: 'RUNNING' }
        : { status: 'SUCCEEDED', stopDate: STOP, output: JSON.stringify(digest) }),
    }));
    const reportPath = join(dir, 'drill.md');

    // Act
    const running = await driveCli(['status', 'drill'], {}, deps());
    phase = 1;
    const ended = await driveCli(['status', EXECUTION_ARN, '--report', reportPath], {}, deps());

    // Assess
    expect(running.exitCode).toBe(ExitCode.Succeeded);
    expect(running.stdout).toContain(
      'running since 2025-01-15T12:00:00.000Z: gateways 2 · created 1 · existing 0 · skipped 0 · failed 0 · retries 0',
    );
    expect(ended.exitCode).toBe(ExitCode.Succeeded);
    expect(ended.stdout).toContain('2 of 2 volumes in scope have a snapshot to restore from');
    const markdown = await readFile(reportPath, 'utf8');
    expect(markdown).toContain('| 2025-01-15T12:01:00.000Z | 31 min 00 s |');
    expect(markdown).toContain('| 2025-01-15T12:02:30.000Z | 17 min 30 s |');
    // An ended execution's children are not read: the evidence has what they did.
    expect(historyReadsOf(CHILD_A)).toBe(1);
    expect(historyReadsOf(CHILD_B)).toBe(1);
  });

  it('goes on without the children when listing them is refused, saying which permission is missing; the report loses nothing', async () => {
    // Prepare
    serveHistories({ [EXECUTION_ARN]: [2, 4] }, () => ticks);
    const denied = Object.assign(
      new Error('User: arn:aws:iam::123456789012:user/op is not authorized to perform: states:ListExecutions'),
      {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      },
    );
    sfnMock.on(ListExecutionsCommand).rejects(denied);
    const reportPath = join(dir, 'drill.md');

    // Act
    const run = await driveCli(['start', '--wait', '--report', reportPath], {}, deps());

    // Assess
    expect(run.exitCode).toBe(ExitCode.Succeeded);
    expect(run.stderr).toContain(
      "not following the map run's child executions, where each gateway's steps are: ListExecutions was refused: the caller lacks the permission states:ListExecutions",
    );
    expect(sfnMock.commandCalls(ListExecutionsCommand)).toHaveLength(1);
    // The snapshot times are the evidence's, not the histories': they are exact without the children.
    const markdown = await readFile(reportPath, 'utf8');
    expect(markdown).toContain('| snap-aaaa0001 | created | 2025-01-15T11:30:00.000Z | 2025-01-15T12:01:00.000Z |');
    expect(markdown).toContain('| snap-bbbb0001 | created | 2025-01-15T11:45:00.000Z | 2025-01-15T12:02:30.000Z |');
    expect(markdown).not.toContain('≤');
  });
});

describe('MapRunChildren', () => {
  beforeEach(() => {
    sfnMock.reset();
  });

  it('reads at most readsPerPoll children a poll, the least recently read first, and nothing without a map run', async () => {
    // Prepare
    serveHistories({ [CHILD_A]: [1], [CHILD_B]: [1] }, () => 0);
    serveChildren();
    const children = new MapRunChildren(new StepFunctions(new SFNClient({ region: 'eu-west-1' }), 'Step Functions'), {
      readsPerPoll: 1,
    });

    // Act
    const before = await children.poll();
    children.observe(PARENT.slice(0, 2));
    const first = await children.poll();
    const second = await children.poll();

    // Assess
    expect(before).toEqual([]);
    expect(first.map((h) => h.executionArn)).toEqual([CHILD_A]);
    expect(second.map((h) => h.executionArn)).toEqual([CHILD_B]);
    expect(children.histories().map((h) => [h.executionArn, h.events.length])).toEqual([
      [CHILD_A, 1],
      [CHILD_B, 1],
    ]);
  });
});
