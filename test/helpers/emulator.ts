import { EC2Client } from '@aws-sdk/client-ec2';
import { StorageGatewayClient } from '@aws-sdk/client-storage-gateway';
import {
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  gatewayArnOf,
  volumeArnOf,
} from '../../src/local/emulator/index.ts';
import type { FleetInput } from '../../src/local/fleet.ts';
import { createSfnEndpoint, type SfnEndpoint } from '../../src/local/sfn-endpoint/index.ts';
import { snapshotWorkflow } from '../../src/workflow/snapshot.ts';

/** 2025-01-15T12:00:00Z: the clock every emulator test starts at. */
export const TEST_START = Date.UTC(2025, 0, 15, 12, 0, 0);

/** A small fleet covering every case the operations distinguish. */
export const TEST_FLEET = {
  region: 'us-east-1',
  accountId: '111122223333',
  gateways: [
    {
      id: 'sgw-12A3456B',
      name: 'cached-1',
      type: 'CACHED',
      volumes: [
        { id: 'vol-1122AABB', sizeBytes: 536_870_912_000, usageBytes: 1_000, recoveryPointAgeMinutes: 30 },
        { id: 'vol-1122AABC', sizeBytes: 1_500_000_000, recoveryPointTime: 'not a time' },
      ],
    },
    {
      id: 'sgw-23B4567C',
      name: 'stored-1',
      type: 'STORED',
      volumes: [{ id: 'vol-2233BBC1', sizeBytes: 107_374_182_400, usageBytes: 5, recoveryPointAgeMinutes: 10 }],
    },
    { id: 'sgw-34C5678D', name: 'file-1', type: 'FILE_S3' },
  ],
} satisfies FleetInput;

export const CACHED_GATEWAY_ARN = gatewayArnOf(TEST_FLEET, 'sgw-12A3456B');
export const STORED_GATEWAY_ARN = gatewayArnOf(TEST_FLEET, 'sgw-23B4567C');
export const FILE_GATEWAY_ARN = gatewayArnOf(TEST_FLEET, 'sgw-34C5678D');
export const VOLUME_ARN = volumeArnOf(TEST_FLEET, 'sgw-12A3456B', 'vol-1122AABB');
export const UNUSED_VOLUME_ARN = volumeArnOf(TEST_FLEET, 'sgw-12A3456B', 'vol-1122AABC');
export const STORED_VOLUME_ARN = volumeArnOf(TEST_FLEET, 'sgw-23B4567C', 'vol-2233BBC1');

/** A clock tests move by hand. */
export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
}

export function fakeClock(start = TEST_START): FakeClock {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

export interface RunningEmulator {
  emulator: Emulator;
  url: string;
  clock: FakeClock;
  sgw: StorageGatewayClient;
  ec2: EC2Client;
  /** Stops the clients and the emulator. */
  stop(): Promise<void>;
}

/**
 * Starts an emulator over `TEST_FLEET` on a free port with a fake clock, and SDK clients that never retry. The
 * cloud's rules are off unless `cloud` is given: the tests of single operations count calls and move the clock by
 * hand, and a visibility lag measured on a clock that stands still would never end.
 */
export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  const clock = fakeClock();
  const emulator = createEmulator({ fleet: TEST_FLEET, now: clock.now, cloud: [], ...options });
  const { url } = await emulator.listen();
  const config = {
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    maxAttempts: 1,
  };
  const sgw = new StorageGatewayClient(config);
  const ec2 = new EC2Client(config);
  return {
    emulator,
    url,
    clock,
    sgw,
    ec2,
    async stop() {
      sgw.destroy();
      ec2.destroy();
      await emulator.close();
    },
  };
}

/** A local Step Functions endpoint, as `useSfnEndpoint` serves it. */
export interface ServedSfnEndpoint {
  readonly endpoint: SfnEndpoint;
  readonly url: string;
}

/**
 * A local Step Functions endpoint over a stack of its own (the demo fleet, no host environment), listening
 * before the suite's first test and closed after its last.
 */
export function useSfnEndpoint(): ServedSfnEndpoint {
  let served: ServedSfnEndpoint | undefined;
  beforeAll(async () => {
    const endpoint = createSfnEndpoint({ env: {}, workflow: snapshotWorkflow });
    served = { endpoint, url: (await endpoint.listen()).url };
  });
  afterAll(async () => {
    await served?.endpoint.close();
  });
  const current = (): ServedSfnEndpoint => {
    if (!served) throw new Error('useSfnEndpoint() is read before its beforeAll ran');
    return served;
  };
  return {
    get endpoint() {
      return current().endpoint;
    },
    get url() {
      return current().url;
    },
  };
}

/** The rejection of `promise`, which must reject. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
