import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createNotifyHandler, type NotifyEvent } from '../../../functions/notify/handler.ts';
import { InvalidEvidenceError, InvalidMonitoringConfigError } from '../../../src/errors.ts';
import { localLambdaContext } from '../../../src/local/lambda-context.ts';
import { notifierConfigFromEnvironment } from '../../../src/monitoring/config.ts';
import { digestOf, type ExecutionReport } from '../../../src/report/execution-report.ts';
import type { ManifestGateway } from '../../../src/report/gateway-report.ts';
import type { ExecutionRef } from '../../../src/workflow/types.ts';
import { ACCOUNT, GATEWAY_ARN, NOW, OTHER_GATEWAY_ARN, volumeArn } from '../../helpers/fixtures.ts';
import {
  EVIDENCE_BUCKET,
  executionNamed,
  type LocalEvidence,
  STATE_MACHINE_NAME,
  startLocalEvidence,
} from '../../helpers/local-evidence.ts';

const REGION = 'eu-west-1';
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:alarms`;
const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STATE_MACHINE_NAME}`;
const HOUR_MS = 3_600_000;

const sns = mockClient(SNSClient);
const sfn = mockClient(SFNClient);
let local: LocalEvidence;
let handler: ReturnType<typeof createNotifyHandler>;

beforeAll(async () => {
  local = await startLocalEvidence();
  handler = createNotifyHandler({
    sns: new SNSClient({ region: REGION }),
    sfn: new SFNClient({ region: REGION }),
    config: () => ({ topicArn: TOPIC_ARN, stateMachineArn: STATE_MACHINE_ARN }),
    rpoTargetHours: () => 24,
    now: () => NOW,
    evidence: local.store,
    evidenceBucket: local.bucket,
  });
});
beforeEach(() => {
  sns.reset();
  sfn.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});
afterAll(async () => {
  sns.restore();
  sfn.restore();
  await local.close();
});

const hoursAgo = (hours: number) => new Date(NOW - hours * HOUR_MS).toISOString();

/** site-a: vol-1 six hours old, vol-2 thirty hours old, vol-3 without a snapshot; sgw-23B4567C: vol-4 two hours. */
const MANIFEST: ManifestGateway[] = [
  {
    gatewayArn: GATEWAY_ARN,
    gatewayName: 'site-a',
    volumes: [
      { volumeArn: volumeArn('vol-1'), snapshotId: 'snap-1', recoveryPointTime: hoursAgo(6) },
      { volumeArn: volumeArn('vol-2'), snapshotId: 'snap-2', recoveryPointTime: hoursAgo(30) },
      { volumeArn: volumeArn('vol-3'), snapshotId: null, reason: 'InternalServerError' },
    ],
  },
  {
    gatewayArn: OTHER_GATEWAY_ARN,
    volumes: [
      { volumeArn: volumeArn('vol-4', OTHER_GATEWAY_ARN), snapshotId: 'snap-4', recoveryPointTime: hoursAgo(2) },
    ],
  },
];

async function writeManifest(execution: ExecutionRef, manifest: unknown = MANIFEST): Promise<void> {
  await local.store.putJson(
    { bucket: EVIDENCE_BUCKET, key: `executions/${STATE_MACHINE_NAME}/${execution.name}/manifest.json` },
    { execution, dryRun: false, manifest },
  );
}

function report(execution: ExecutionRef): ExecutionReport {
  const prefix = `s3://${EVIDENCE_BUCKET}/executions/${STATE_MACHINE_NAME}/${execution.name}/`;
  return {
    dryRun: false,
    execution,
    summary: {
      gateways: 2,
      recoveryPoints: 4,
      selected: 3,
      created: 2,
      existing: 0,
      wouldCreate: 0,
      skipped: 0,
      failed: 1,
      skippedByReason: {},
      volumes: 4,
      withoutSnapshot: 1,
    },
    snapshots: [],
    skipped: [],
    failures: [
      {
        gatewayArn: GATEWAY_ARN,
        volumeArn: volumeArn('vol-3'),
        error: 'InternalServerError',
        cause: 'The gateway answered 500\nwhile creating',
      },
    ],
    manifest: MANIFEST,
    evidence: {
      prefix,
      report: `${prefix}report.json`,
      manifest: `${prefix}manifest.json`,
      csv: `${prefix}report.csv`,
    },
  };
}

function executionEvent(execution: ExecutionRef, detail: Partial<NotifyEvent['detail']>): NotifyEvent {
  return {
    version: '0',
    id: 'event-1',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: ACCOUNT,
    time: new Date(NOW).toISOString(),
    region: REGION,
    resources: [execution.id],
    detail: {
      executionArn: execution.id,
      stateMachineArn: STATE_MACHINE_ARN,
      name: execution.name,
      status: 'FAILED',
      startDate: NOW - HOUR_MS,
      stopDate: NOW,
      ...detail,
    },
  } as NotifyEvent;
}

function published(): { Subject?: string; Message?: string; TopicArn?: string } {
  const calls = sns.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  return calls[0]?.args[0].input ?? {};
}

describe('notify handler', () => {
  it('announces a failed execution in a few lines: what failed, the RPO now, the stale volumes, links, evidence', async () => {
    // Prepare
    const execution = executionNamed('notify-failed');
    await writeManifest(execution);
    const event = executionEvent(execution, {
      error: 'SnapshotsFailed',
      cause: JSON.stringify(digestOf(report(execution))),
    });

    // Act
    await handler(event, localLambdaContext('notify', 30));

    // Assess
    const { Subject, Message, TopicArn } = published();
    expect(TopicArn).toBe(TOPIC_ARN);
    expect(Subject).toBe(`[${STATE_MACHINE_NAME}] FAILED: notify-failed, 1 failed, 2 stale`);
    const lines = Message?.split('\n') ?? [];
    expect(lines).toEqual(
      expect.arrayContaining([
        `Execution notify-failed of ${STATE_MACHINE_NAME} FAILED at 2025-01-15T12:00:00.000Z (started 2025-01-15T11:00:00.000Z).`,
        'Error: SnapshotsFailed',
        '2 gateways, 4 recovery points: 2 created, 0 existing, 0 skipped, 1 failed.',
        '  sgw-12A3456B vol-3: InternalServerError: The gateway answered 500 while creating',
        'RPO now: worst 1d 6h, median 6h; 2 of 4 volumes have no usable snapshot within 24h.',
        '  site-a (sgw-12A3456B) vol-3: no snapshot (InternalServerError)',
        '  site-a (sgw-12A3456B) vol-2: 1d 6h',
        `Execution: https://${REGION}.console.aws.amazon.com/states/home?region=${REGION}#/v2/executions/details/${execution.id}`,
        `Evidence: s3://${EVIDENCE_BUCKET}/executions/${STATE_MACHINE_NAME}/notify-failed/ (report.json, manifest.json, report.csv)`,
        `  https://s3.console.aws.amazon.com/s3/buckets/${EVIDENCE_BUCKET}?prefix=executions%2F${STATE_MACHINE_NAME}%2Fnotify-failed%2F`,
      ]),
    );
    // No raw JSON reaches a person.
    expect(Message).not.toMatch(/[{}]/);
  });

  it('announces an execution that timed out before it summarised: its error, no RPO, where the evidence would be', async () => {
    const execution = executionNamed('notify-timed-out');
    await handler(
      executionEvent(execution, { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out' }),
      localLambdaContext('notify', 30),
    );
    const { Subject, Message } = published();
    expect(Subject).toBe(`[${STATE_MACHINE_NAME}] TIMED_OUT: notify-timed-out`);
    expect(Message).toContain('Error: States.Timeout: The execution timed out');
    expect(Message).toContain('No report: the execution ended before it summarised its gateways.');
    expect(Message).toContain('RPO: unknown (no manifest to measure it from).');
    expect(Message).toContain(`Evidence: s3://${EVIDENCE_BUCKET}/executions/${STATE_MACHINE_NAME}/notify-timed-out/`);
  });

  it('reads a succeeded execution’s digest from its output (the drills’ notice)', async () => {
    const execution = executionNamed('notify-succeeded');
    await writeManifest(execution);
    const digest = { ...digestOf(report(execution)), failures: [] };
    digest.summary = { ...digest.summary, failed: 0 };
    await handler(
      executionEvent(execution, { status: 'SUCCEEDED', output: JSON.stringify({ digest, failed: false, cause: '' }) }),
      localLambdaContext('notify', 30),
    );
    const { Subject, Message } = published();
    expect(Subject).toBe(`[${STATE_MACHINE_NAME}] SUCCEEDED: notify-succeeded, 0 failed, 2 stale`);
    expect(Message).toContain('2 created, 0 existing, 0 skipped, 0 failed.');
  });

  it('names the stale volumes of the alarm from the newest execution that ended', async () => {
    // Prepare
    const execution = executionNamed('notify-alarm');
    await writeManifest(execution);
    sfn.on(ListExecutionsCommand, { stateMachineArn: STATE_MACHINE_ARN }).resolves({
      executions: [
        {
          executionArn: `${execution.id}-running`,
          stateMachineArn: STATE_MACHINE_ARN,
          name: 'running',
          status: 'RUNNING',
          startDate: new Date(NOW),
        },
        {
          executionArn: execution.id,
          stateMachineArn: STATE_MACHINE_ARN,
          name: execution.name,
          status: 'SUCCEEDED',
          startDate: new Date(NOW - HOUR_MS),
          stopDate: new Date(NOW - HOUR_MS / 2),
        },
      ],
    });
    const event = {
      version: '0',
      id: 'event-2',
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: ACCOUNT,
      time: new Date(NOW).toISOString(),
      region: REGION,
      resources: [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:stale volumes`],
      detail: {
        alarmName: 'stale volumes',
        state: { value: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [2.0] was greater than 0.0' },
      },
    } as NotifyEvent;

    // Act
    await handler(event, localLambdaContext('notify', 30));

    // Assess
    const { Subject, Message } = published();
    expect(Subject).toBe(`[${STATE_MACHINE_NAME}] ALARM: 2 of 4 volumes past the RPO target`);
    expect(Message?.split('\n')).toEqual(
      expect.arrayContaining([
        'Alarm stale volumes is ALARM: Threshold Crossed: 1 datapoint [2.0] was greater than 0.0',
        'Newest execution: notify-alarm, SUCCEEDED at 2025-01-15T11:30:00.000Z',
        '  site-a (sgw-12A3456B) vol-2: 1d 6h',
        `Alarm: https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#alarmsV2:alarm/stale%20volumes`,
      ]),
    );
  });

  it('refuses a manifest that is not one rather than announce a healthy fleet', async () => {
    const execution = executionNamed('notify-bad-manifest');
    await writeManifest(execution, 'not a list');
    await expect(handler(executionEvent(execution, {}), localLambdaContext('notify', 30))).rejects.toThrow(
      InvalidEvidenceError,
    );
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('notifierConfigFromEnvironment', () => {
  it('reads the topic and the state machine, and names the variable that is missing', () => {
    expect(notifierConfigFromEnvironment({ ALARM_TOPIC_ARN: TOPIC_ARN, STATE_MACHINE_ARN })()).toEqual({
      topicArn: TOPIC_ARN,
      stateMachineArn: STATE_MACHINE_ARN,
    });
    const missing = notifierConfigFromEnvironment({ ALARM_TOPIC_ARN: TOPIC_ARN });
    expect(missing).toThrow(InvalidMonitoringConfigError);
    expect(missing).toThrow(/STATE_MACHINE_ARN/);
  });
});
