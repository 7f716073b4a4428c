import { InvalidInputError } from '../errors.ts';
import { PAYLOAD_LIMIT_BYTES } from '../report/limits.ts';

/**
 * The most polls the completion wait may make. Each poll (`CheckSnapshots` → `SnapshotsPending` →
 * `WaitBeforeCheck`) writes 9 history events, 12 with one retry of `CheckSnapshots`: 2,000 polls with a retry
 * each take 24,000 of the 25,000 events an execution holds, and leave 1,000 for the rest of it (about 25
 * without faults; a gateway's events are its child execution's).
 */
export const MAX_COMPLETION_CHECKS = 2_000;

/**
 * Room kept in the state for what the states after `Plan` add to its output: `CheckSnapshots`' counts and a caught
 * failure (`mapFailure`, `waitFailure`: an error name and a short cause).
 */
export const PLANNED_STATE_HEADROOM_BYTES = 16_384;
/** The largest output `Plan` may give: every later state carries it, and Step Functions holds a state to 256 KiB. */
export const MAX_PLANNED_STATE_BYTES = PAYLOAD_LIMIT_BYTES - PLANNED_STATE_HEADROOM_BYTES;

/** The polls a completion wait of `timeoutMinutes` makes, one every `intervalSeconds`, the first at once. */
export function completionChecks(timeoutMinutes: number, intervalSeconds: number): number {
  // Less a rounding error: 1,999 / 60 minutes at 1 s is 1,999 intervals, not 1,999.0000000000002.
  return Math.ceil((timeoutMinutes * 60) / intervalSeconds - 1e-9) + 1;
}

// The input fields that can make the planned state large, in the order a message names them.
const GROWING_FIELDS = ['gatewayArns', 'volumeArns', 'excludeVolumeArns', 'tags', 'snapshotDescription'] as const;

/**
 * Refuses a plan whose state would not fit through the execution: found at `Plan`, before any snapshot, rather
 * than as `States.DataLimitExceeded` later.
 * @throws InvalidInputError naming the field that takes most of the state
 */
export function checkPlannedStateSize(planned: { options: object; gatewayArns: readonly string[] }): void {
  const bytes = byteLength(planned);
  if (bytes <= MAX_PLANNED_STATE_BYTES) return;
  const sizes = GROWING_FIELDS.map((field): [string, number] => [
    field,
    byteLength(field === 'gatewayArns' ? planned.gatewayArns : (planned.options as Record<string, unknown>)[field]),
  ]).sort(([, a], [, b]) => b - a);
  const [field, largest] = sizes[0] ?? ['(input)', bytes];
  throw new InvalidInputError(
    field,
    `${field}: the planned state would be ${bytes} bytes of JSON (${field} ${largest}); a state holds at most ` +
      `${MAX_PLANNED_STATE_BYTES} here (Step Functions' ${PAYLOAD_LIMIT_BYTES} less ${PLANNED_STATE_HEADROOM_BYTES} ` +
      'for the later states). Name fewer volumes or gateways, or start several executions.',
  );
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null));
}
