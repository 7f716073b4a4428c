import { parseExecutionInput } from '../../src/input/parse.ts';
import type { ExecutionInput, ExecutionOptions } from '../../src/input/schema.ts';
import type { ExecutionRef } from '../../src/workflow/types.ts';

/** Shared names for the unit tests: real-looking ARNs and an execution, nothing the code under test computes. */
export const ACCOUNT = '111122223333';
export const GATEWAY_ID = 'sgw-12A3456B';
export const GATEWAY_ARN = `arn:aws:storagegateway:us-east-1:${ACCOUNT}:gateway/${GATEWAY_ID}`;
export const OTHER_GATEWAY_ARN = `arn:aws:storagegateway:us-east-1:${ACCOUNT}:gateway/sgw-23B4567C`;

/** `vol-…` of the test gateway (or another). */
export function volumeArn(volumeId: string, gatewayArn = GATEWAY_ARN): string {
  return `${gatewayArn}/volume/${volumeId}`;
}

/** 2025-01-15T12:00:00Z */
export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The ISO time `ms` milliseconds before `NOW`. */
export function agoIso(ms: number): string {
  return new Date(NOW - ms).toISOString();
}

export const EXECUTION: ExecutionRef = {
  id: `arn:aws:states:us-east-1:${ACCOUNT}:execution:sgw-recovery-snapshots:run-1`,
  name: 'run-1',
  startTime: new Date(NOW).toISOString(),
};

/** Execution options as the Plan step hands them on: the input with its defaults. */
export function optionsOf(input: ExecutionInput = {}): ExecutionOptions {
  return parseExecutionInput(input);
}
