import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';

/** The deployed state machine and one drill execution, as the CLI tests meet them. */
export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:sgw-recovery-snapshots-dev';
export const EXECUTION_ARN = 'arn:aws:states:eu-west-1:123456789012:execution:sgw-recovery-snapshots-dev:drill';
export const GATEWAY_ARN = 'arn:aws:storagegateway:eu-west-1:123456789012:gateway/sgw-12A3456B';
export const START = new Date('2025-01-15T12:00:00Z');

/** `DescribeExecution` of the drill, ended `SUCCEEDED` with input `{}`, unless `fields` say otherwise. */
export function describedDrill(
  fields: Partial<DescribeExecutionCommandOutput> = {},
): Partial<DescribeExecutionCommandOutput> {
  return {
    executionArn: EXECUTION_ARN,
    stateMachineArn: STATE_MACHINE_ARN,
    name: 'drill',
    status: 'SUCCEEDED',
    startDate: START,
    input: '{}',
    ...fields,
  };
}
