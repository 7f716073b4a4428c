import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { readerOf } from '../../src/cli/evidence.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import type { FaultRule } from '../../src/local/emulator/index.ts';
import { createLocalS3Client } from '../../src/local/s3-server.ts';
import { createSfnEndpoint, type SfnEndpoint } from '../../src/local/sfn-endpoint/index.ts';
import { type LocalStack, startLocalStack } from '../../src/local/stack.ts';
import type { ReportDigest } from '../../src/report/execution-report.ts';

const GATEWAY = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-12A3456B';
const RETRIED_VOLUME = `${GATEWAY}/volume/vol-1122AABB`;
const FAILING_VOLUME = `${GATEWAY}/volume/vol-1122AABC`;

interface Served {
  stack: LocalStack;
  endpoint: SfnEndpoint;
  url: string;
  /** The S3 endpoint of the stack's evidence, as `listen()` gives it. */
  evidenceUrl: string | undefined;
  sfn: SFNClient;
}

async function serve(faults: FaultRule[] = []): Promise<Served> {
  const stack = await startLocalStack({ env: {}, faults });
  const endpoint = createSfnEndpoint({ stack });
  const { url, evidenceUrl } = await endpoint.listen();
  const sfn = new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return { stack, endpoint, url, evidenceUrl, sfn };
}

async function waitUntilClosed(sfn: SFNClient, executionArn: string): Promise<string> {
  for (;;) {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return status ?? '';
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function wholeHistory(
  sfn: SFNClient,
  executionArn: string,
  maxResults?: number,
  reverseOrder?: boolean,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults, reverseOrder, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

describe('the local Step Functions endpoint', () => {
  let served: Served | undefined;
  afterEach(async () => {
    served?.sfn.destroy();
    await served?.endpoint.close();
    await served?.stack.close();
    served = undefined;
  });

  it('writes the history as Step Functions does: numbered events, Lambda attempts, retries after their failure, map iterations', async () => {
    // Prepare
    served = await serve([
      {
        operation: 'CreateSnapshotFromVolumeRecoveryPoint',
        volumeArn: RETRIED_VOLUME,
        error: 'InternalServerError',
        firstN: 1,
      },
      {
        operation: 'CreateSnapshotFromVolumeRecoveryPoint',
        volumeArn: FAILING_VOLUME,
        error: 'InvalidGatewayRequestException',
      },
    ]);
    const { executionArn } = await served.sfn.send(
      new StartExecutionCommand({ stateMachineArn: served.endpoint.stateMachineArn, input: '{}' }),
    );

    // Act
    const status = await waitUntilClosed(served.sfn, executionArn ?? '');
    const events = await wholeHistory(served.sfn, executionArn ?? '');

    // Assess
    expect(status).toBe('FAILED');
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]).toMatchObject({
      type: 'ExecutionStarted',
      previousEventId: 0,
      executionStartedEventDetails: { input: '{}' },
    });
    expect(events[1]).toMatchObject({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Plan' } });
    expect(events[2]).toMatchObject({
      type: 'LambdaFunctionScheduled',
      lambdaFunctionScheduledEventDetails: { resource: expect.stringContaining(':function:'), timeoutInSeconds: 120 },
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'MapStateStarted', mapStateStartedEventDetails: { length: 3 } }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'MapIterationStarted',
        mapIterationStartedEventDetails: { name: 'SnapshotGateways', index: 2 },
      }),
    );
    const byId = new Map(events.map((e) => [e.id, e]));
    const retries = events.filter(
      (e) => e.type === 'LambdaFunctionScheduled' && byId.get(e.previousEventId)?.type === 'LambdaFunctionFailed',
    );
    expect(retries.map((e) => byId.get(e.previousEventId)?.lambdaFunctionFailedEventDetails?.error)).toEqual([
      'InternalServerError',
    ]);
    const failures = events
      .filter((e) => e.type === 'LambdaFunctionFailed')
      .map((e) => e.lambdaFunctionFailedEventDetails?.error);
    expect(failures.sort()).toEqual(['InternalServerError', 'InvalidGatewayRequestException']);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'PassStateEntered',
        stateEnteredEventDetails: expect.objectContaining({ name: 'VolumeFailed' }),
      }),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'SnapshotsFailed' },
    });
  });

  it('pages the history with maxResults and nextToken, either way round, and can leave out execution data', async () => {
    // Prepare
    served = await serve();
    const { executionArn = '' } = await served.sfn.send(
      new StartExecutionCommand({ stateMachineArn: served.endpoint.stateMachineArn }),
    );
    await waitUntilClosed(served.sfn, executionArn);

    // Act
    const all = await wholeHistory(served.sfn, executionArn, 1000);
    const paged = await wholeHistory(served.sfn, executionArn, 7);
    const reversed = await wholeHistory(served.sfn, executionArn, 7, true);
    const bare = await served.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false, maxResults: 1 }),
    );

    // Assess
    expect(all.length).toBeGreaterThan(50);
    expect(paged).toEqual(all);
    expect(reversed).toEqual([...all].reverse());
    expect(bare.events?.[0]?.executionStartedEventDetails).toEqual({ roleArn: expect.any(String) });
    expect(all.at(-1)).toMatchObject({
      type: 'ExecutionSucceeded',
      executionSucceededEventDetails: { output: expect.stringContaining('"summary"') },
    });
  });

  it('ends an execution with a small digest naming its evidence, which is whole in the S3 server listen() gives', async () => {
    // Prepare
    served = await serve([
      {
        operation: 'CreateSnapshotFromVolumeRecoveryPoint',
        volumeArn: FAILING_VOLUME,
        error: 'InvalidGatewayRequestException',
      },
    ]);
    const { executionArn = '' } = await served.sfn.send(
      new StartExecutionCommand({ stateMachineArn: served.endpoint.stateMachineArn, name: 'digest-1' }),
    );
    await waitUntilClosed(served.sfn, executionArn);

    // Act
    const described = await served.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const digest = JSON.parse(described.cause ?? '') as ReportDigest;
    const s3 = createLocalS3Client(served.evidenceUrl ?? '', 'us-east-1');
    const report = await readerOf(createEvidenceStore({ s3 }), served.evidenceUrl ?? '')
      .readReportAt(digest.evidence?.report ?? '')
      .finally(() => s3.destroy());

    // Assess
    expect(served.evidenceUrl).toBe(served.stack.s3Endpoint);
    expect(described).toMatchObject({ status: 'FAILED', error: 'SnapshotsFailed' });
    expect(Buffer.byteLength(described.cause ?? '')).toBeLessThan(8 * 1024);
    expect(digest).toMatchObject({
      summary: { created: 10, failed: 1, volumes: 12 },
      failures: [expect.objectContaining({ volumeArn: FAILING_VOLUME })],
      moreFailures: 0,
      evidence: { report: 's3://sgw-snap-evidence/executions/sgw-recovery-snapshots/digest-1/report.json' },
    });
    expect(report.summary).toEqual(digest.summary);
    expect(report.snapshots).toHaveLength(10);
    expect(report.manifest.flatMap((g) => g.volumes)).toHaveLength(12);
  });

  it('starts once per name while running, stops an execution at once, and filters the list by status', async () => {
    // Prepare: a slow gateway keeps the execution running.
    served = await serve([{ operation: 'ListVolumeRecoveryPoints', latencyMs: 1_000 }]);
    const stateMachineArn = served.endpoint.stateMachineArn;
    const first = await served.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'slow', input: '{}' }));

    // Act
    const again = await served.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'slow', input: '{}' }));
    const clash = served.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'slow', input: '{"dryRun":true}' }),
    );
    await expect(clash).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    const stop = await served.sfn.send(
      new StopExecutionCommand({ executionArn: first.executionArn, error: 'Drill.Cancelled', cause: 'by the test' }),
    );
    const described = await served.sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    const aborted = await served.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }));
    const running = await served.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
    const closed = served.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'slow', input: '{}' }));

    // Assess
    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    expect(stop.stopDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Drill.Cancelled', cause: 'by the test' });
    expect(aborted.executions?.map((e) => e.name)).toEqual(['slow']);
    expect(running.executions).toEqual([]);
    await expect(closed).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    const history = await wholeHistory(served.sfn, first.executionArn ?? '');
    expect(history.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Drill.Cancelled' },
    });
  });

  it('lists no child executions for a map run, since the Distributed Map runs inline, and wants one of map run or state machine', async () => {
    // Prepare
    served = await serve();
    const mapRunArn =
      'arn:aws:states:us-east-1:000000000000:mapRun:sgw-recovery-snapshots/Gateways:8f1c2d3e-0000-4000-8000-000000000000';

    // Act
    const children = await served.sfn.send(new ListExecutionsCommand({ mapRunArn }));
    const both = served.sfn.send(
      new ListExecutionsCommand({ mapRunArn, stateMachineArn: served.endpoint.stateMachineArn }),
    );
    const neither = served.sfn.send(new ListExecutionsCommand({}));

    // Assess
    expect(children.executions).toEqual([]);
    await expect(both).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(neither).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('answers errors in the awsJson1_0 shape', async () => {
    // Prepare
    served = await serve();
    const post = async (target: string, body: string) => {
      const response = await fetch(served?.url ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
        body,
      });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: (await response.json()) as unknown,
      };
    };
    const missing = `arn:aws:states:us-east-1:000000000000:execution:sgw-recovery-snapshots:nope`;

    // Act
    const answers = await Promise.all([
      post('AWSStepFunctions.DescribeExecution', JSON.stringify({ executionArn: missing })),
      post('AWSStepFunctions.DescribeExecution', JSON.stringify({ executionArn: 'not-an-arn' })),
      post(
        'AWSStepFunctions.StartExecution',
        JSON.stringify({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:other' }),
      ),
      post(
        'AWSStepFunctions.StartExecution',
        JSON.stringify({ stateMachineArn: served.endpoint.stateMachineArn, input: '{' }),
      ),
      post(
        'AWSStepFunctions.StartExecution',
        JSON.stringify({ stateMachineArn: served.endpoint.stateMachineArn, name: 'a b' }),
      ),
      post(
        'AWSStepFunctions.ListExecutions',
        JSON.stringify({ stateMachineArn: served.endpoint.stateMachineArn, nextToken: 'bogus' }),
      ),
      post('AWSStepFunctions.CreateStateMachine', '{}'),
      post('AWSStepFunctions.ListStateMachines', '{not json'),
    ]);

    // Assess
    expect(answers.map((a) => (a.body as { __type: string }).__type)).toEqual([
      'ExecutionDoesNotExist',
      'InvalidArn',
      'StateMachineDoesNotExist',
      'InvalidExecutionInput',
      'InvalidName',
      'InvalidToken',
      'UnknownOperationException',
      'SerializationException',
    ]);
    expect(answers.every((a) => a.status === 400 && a.type === 'application/x-amz-json-1.0')).toBe(true);
    expect(answers[0]?.body).toEqual({ __type: 'ExecutionDoesNotExist', message: expect.stringContaining(missing) });
  });
});
