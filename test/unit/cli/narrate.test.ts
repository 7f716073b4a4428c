import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { HistoryNarrator } from '../../../src/cli/sfn/narrate.ts';
import { snapshotWorkflow } from '../../../src/workflow/snapshot.ts';

const GATEWAY = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-12A3456B';
const VOLUME = `${GATEWAY}/volume/vol-1122AABB`;
const at = new Date('2025-01-15T12:00:00Z');

function event(id: number, previousEventId: number, type: string, details: Partial<HistoryEvent> = {}): HistoryEvent {
  return { id, previousEventId, type: type as HistoryEvent['type'], timestamp: at, ...details };
}

describe('HistoryNarrator', () => {
  it('tells a retry from the LambdaFunctionScheduled that follows a failure, naming the state and the error', () => {
    // Prepare
    const narrator = new HistoryNarrator(snapshotWorkflow);
    const events = [
      event(1, 0, 'TaskStateEntered', { stateEnteredEventDetails: { name: 'CreateSnapshot', input: '{}' } }),
      event(2, 1, 'LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: { resource: 'arn:fn' } }),
      event(3, 2, 'LambdaFunctionStarted'),
      event(4, 3, 'LambdaFunctionFailed', {
        lambdaFunctionFailedEventDetails: {
          error: 'ThrottlingException',
          cause: JSON.stringify({ errorType: 'ThrottlingException', errorMessage: 'Rate exceeded' }),
        },
      }),
      event(5, 4, 'LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: { resource: 'arn:fn', input: JSON.stringify({ volumeArn: VOLUME }) },
      }),
    ];

    // Act
    const narrations = events.map((e) => narrator.read(e));

    // Assess
    expect(narrations.map((n) => n.step?.kind)).toEqual([undefined, undefined, undefined, undefined, 'retried']);
    expect(narrations[4]?.line).toBe(
      'retrying CreateSnapshot for vol-1122AABB on sgw-12A3456B after ThrottlingException: Rate exceeded',
    );
    expect(narrations[4]?.importance).toBe('problem');
  });

  it('reports a caught failure as failed over, not as a step that succeeded', () => {
    // Prepare
    const narrator = new HistoryNarrator(snapshotWorkflow);
    const output = JSON.stringify({ gatewayArn: GATEWAY, listFailure: { Error: 'InvalidGatewayRequestException' } });
    narrator.read(
      event(1, 0, 'LambdaFunctionFailed', {
        lambdaFunctionFailedEventDetails: { error: 'InvalidGatewayRequestException' },
      }),
    );

    // Act
    const narration = narrator.read(
      event(2, 1, 'TaskStateExited', { stateExitedEventDetails: { name: 'ListRecoveryPoints', output } }),
    );

    // Assess
    expect(narration.step?.kind).toBe('failed-over');
    expect(narration.line).toBe('gateway sgw-12A3456B: could not list recovery points: InvalidGatewayRequestException');
  });

  it('describes a gateway listed, a snapshot made and a volume that failed', () => {
    // Prepare
    const narrator = new HistoryNarrator(snapshotWorkflow);
    const listed = {
      gatewayArn: GATEWAY,
      listed: {
        recoveryPoints: 3,
        selected: [{}],
        skipped: [{ reason: 'too-new' }, { reason: 'too-new' }],
        failures: [],
      },
    };
    const created = {
      volumeArn: `${GATEWAY}/volume/vol-1`,
      snapshotId: 'snap-1',
      status: 'created',
      recoveryPointTime: '2025-01-15T11:30:00Z',
    };
    const failed = {
      volumeArn: `${GATEWAY}/volume/vol-2`,
      failure: { Error: 'InvalidGatewayRequestException', Cause: '{"errorMessage":"gateway is offline"}' },
    };
    narrator.read(event(1, 0, 'LambdaFunctionSucceeded'));

    // Act
    const lines = [
      narrator.read(
        event(2, 1, 'TaskStateExited', {
          stateExitedEventDetails: { name: 'ListRecoveryPoints', output: JSON.stringify(listed) },
        }),
      ),
      narrator.read(
        event(3, 1, 'TaskStateExited', {
          stateExitedEventDetails: { name: 'CreateSnapshot', output: JSON.stringify(created) },
        }),
      ),
      narrator.read(
        event(4, 3, 'PassStateExited', {
          stateExitedEventDetails: { name: 'VolumeFailed', output: JSON.stringify(failed) },
        }),
      ),
    ].map((n) => n.line);

    // Assess
    expect(lines).toEqual([
      'gateway sgw-12A3456B: 3 recovery points, 1 to snapshot, 2 skipped (too-new 2)',
      'snapshot snap-1 of vol-1 on sgw-12A3456B (recovery point 2025-01-15T11:30:00Z)',
      'FAILED vol-2 on sgw-12A3456B: InvalidGatewayRequestException: gateway is offline',
    ]);
  });

  it('tells of a map run child only the gateway it ran and how it failed, and of the parent a map run that failed', () => {
    // Prepare
    const child = new HistoryNarrator(snapshotWorkflow, { child: true });
    const parent = new HistoryNarrator(snapshotWorkflow);

    // Act
    const lines = [
      child.read(
        event(1, 0, 'ExecutionStarted', {
          executionStartedEventDetails: { input: JSON.stringify({ gatewayArn: GATEWAY }) },
        }),
      ),
      child.read(event(2, 1, 'ExecutionSucceeded')),
      child.read(event(3, 2, 'ExecutionFailed', { executionFailedEventDetails: { error: 'States.Runtime' } })),
      parent.read(
        event(1, 0, 'MapRunFailed', { mapRunFailedEventDetails: { error: 'States.ExceedToleratedFailureThreshold' } }),
      ),
    ].map((n) => n.line);

    // Assess
    expect(lines).toEqual([
      undefined,
      undefined,
      'gateway sgw-12A3456B: its child execution FAILED: States.Runtime',
      'map run FAILED: States.ExceedToleratedFailureThreshold',
    ]);
  });
});
