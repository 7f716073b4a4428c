import type { CopyDestination } from '../input/schema.ts';
import { type GatewayReport, manifestOf } from '../report/gateway-report.ts';
import { countsAsSnapshot } from '../snapshot/state.ts';
import type { CopyBook, CopyItem, DestinationRef } from './types.ts';

/** The EC2 state of a snapshot that can be copied (EC2 copies only completed snapshots). */
export const COPYABLE_STATE = 'completed';

/** A destination's reference: its book's name, its account (the execution's when the input names none). */
export function destinationRef(destination: CopyDestination, ownAccountId: string): DestinationRef {
  const accountId = destination.accountId ?? ownAccountId;
  return {
    key: `${destination.region}.${accountId}`,
    region: destination.region,
    accountId,
    crossAccount: accountId !== ownAccountId,
  };
}

/**
 * Which (volume, destination) pairs need a copy: every volume whose manifest entry names a snapshot (made by this
 * run, found holding the point, or an earlier run's newest) gets one item per destination. A source already known
 * `completed` is `ready`; one whose state is unknown or `pending` waits for it. Pure: the gateways' reports in, one
 * book per destination out, in the input's order.
 */
export function planCopies(
  gateways: readonly GatewayReport[],
  destinations: readonly CopyDestination[],
  context: { ownAccountId: string; sourceRegion: string },
): CopyBook[] {
  const sources = gateways.flatMap((gateway) =>
    manifestOf(gateway).volumes.flatMap((volume) =>
      volume.snapshotId && countsAsSnapshot({ state: volume.state ?? 'pending' })
        ? [
            {
              gatewayArn: gateway.gatewayArn,
              volumeArn: volume.volumeArn,
              recoveryPointTime: volume.recoveryPointTime ?? '',
              sourceSnapshotId: volume.snapshotId,
              state: volume.state === COPYABLE_STATE ? ('ready' as const) : ('waiting-source' as const),
            } satisfies CopyItem,
          ]
        : [],
    ),
  );
  return destinations.map((destination) => ({
    destination: {
      ...destinationRef(destination, context.ownAccountId),
      ...(destination.kmsKeyId ? { kmsKeyId: destination.kmsKeyId } : {}),
      ...(destination.retention ? { retention: destination.retention } : {}),
    },
    sourceRegion: context.sourceRegion,
    rounds: 0,
    items: sources.map((item) => ({ ...item })),
  }));
}
