import type { FaultRule } from '../src/local/emulator/index.ts';
import { volumeArnOf } from '../src/local/emulator/index.ts';
import type { Fleet } from '../src/local/fleet.ts';
import type { LocalStack } from '../src/local/stack.ts';

/** What every volume fails with in the payload section. */
export const FAILURE_ERROR = 'InvalidGatewayRequestException';
/** Long enough that the report must shorten the causes to fit. */
export const LONG_MESSAGE_CHARACTERS = 2000;

/** Every snapshot call fails. */
export const EVERY_CREATE_FAILS: FaultRule[] = [
  { operation: 'CreateSnapshotFromVolumeRecoveryPoint', error: FAILURE_ERROR },
];

/** How the failing runs word their errors. */
export type CauseKind = 'one long cause' | 'a long cause per volume';
export const CAUSE_KINDS: readonly CauseKind[] = ['one long cause', 'a long cause per volume'];

/**
 * The emulator answers injected faults with a short message; AWS's can be long, and often name the
 * volume. This lengthens the message: the same for every volume, or naming each (then no two failures group).
 */
export function lengthenErrorMessages(kind: CauseKind): (stack: LocalStack) => void {
  return (stack) =>
    stack.storageGateway.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          const volumeArn = (args.input as { VolumeARN?: unknown }).VolumeARN;
          if (error instanceof Error && error.name === FAILURE_ERROR && typeof volumeArn === 'string') {
            error.message = longMessage(kind === 'one long cause' ? 'The volume' : `The volume ${volumeArn}`);
          }
          throw error;
        }
      },
      { step: 'initialize', name: 'benchLongErrorMessages' },
    );
}

function longMessage(subject: string): string {
  const head = `${subject} cannot be snapshotted now. `;
  const filler = 'The gateway reports that its upload buffer is in use by another operation; retry later. ';
  return (head + filler.repeat(Math.ceil(LONG_MESSAGE_CHARACTERS / filler.length))).slice(0, LONG_MESSAGE_CHARACTERS);
}

/** Whether a report accounts for every volume of the fleet. */
export interface Accounting {
  /** created + existing + would-create + skipped + failed equals the fleet's volumes. */
  countsAddUp: boolean;
  /** Volumes named in `failures[].volumeArn` or `gateways[].failures[].volumeIds`. */
  volumesNamed: number;
  volumes: number;
}

interface ReportShape {
  summary?: Partial<Record<'created' | 'existing' | 'wouldCreate' | 'skipped' | 'failed', number>>;
  failures?: Array<{ volumeArn?: string }>;
  gateways?: Array<{ gatewayArn: string; failures?: Array<{ volumeIds?: string[] }> }>;
}

/** Checks a report (the summarising Task's output, or the execution's failure cause) against the fleet. */
export function accountFor(report: unknown, fleet: Fleet): Accounting {
  const shape = (report ?? {}) as ReportShape;
  const volumes = fleet.gateways.flatMap((g) => g.volumes.map((v) => volumeArnOf(fleet, g.id, v.id)));
  const { created = 0, existing = 0, wouldCreate = 0, skipped = 0, failed = 0 } = shape.summary ?? {};
  const named = new Set<string>();
  for (const failure of shape.failures ?? []) if (failure.volumeArn) named.add(failure.volumeArn);
  for (const gateway of shape.gateways ?? []) {
    for (const failure of gateway.failures ?? []) {
      for (const volumeId of failure.volumeIds ?? []) named.add(`${gateway.gatewayArn}/volume/${volumeId}`);
    }
  }
  const known = new Set(volumes);
  return {
    countsAddUp: created + existing + wouldCreate + skipped + failed === volumes.length,
    volumesNamed: [...named].filter((arn) => known.has(arn)).length,
    volumes: volumes.length,
  };
}
