import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateSnapshotFromVolumeRecoveryPointCommand,
  ListVolumeRecoveryPointsCommand,
} from '@aws-sdk/client-storage-gateway';
import { type FaultRule, gatewayArnOf } from '../src/local/emulator/index.ts';
import type { Fleet } from '../src/local/fleet.ts';
import { LOCAL_REGION } from '../src/local/runner.ts';
import type { LocalStack } from '../src/local/stack.ts';
import { startBenchStack } from './stack.ts';

const run = promisify(execFile);

/** How long a baseline took and how many snapshots it made. */
export interface BaselineRun {
  wallMs: number;
  snapshotsMade: number;
}

export interface BaselineOptions {
  fleet: Fleet;
  fleetFile: string;
  faults: readonly FaultRule[];
}

/** Times `work` against a fresh emulator over the fleet, and counts the snapshots it made. */
async function onFreshStack(
  { fleetFile, faults }: BaselineOptions,
  work: (stack: LocalStack) => Promise<unknown>,
): Promise<BaselineRun> {
  const stack = await startBenchStack({ fleetPath: fleetFile, faults });
  try {
    const started = performance.now();
    await work(stack);
    return { wallMs: performance.now() - started, snapshotsMade: stack.emulator?.snapshots().length ?? 0 };
  } finally {
    await stack.close();
  }
}

/**
 * What a user's script does today with the SDK: list each gateway's recovery points, then snapshot
 * each volume, one call after another.
 */
export function runSequentialScript(options: BaselineOptions): Promise<BaselineRun> {
  const { fleet } = options;
  return onFreshStack(options, async ({ storageGateway: client }) => {
    for (const gateway of fleet.gateways) {
      const listed = await client.send(
        new ListVolumeRecoveryPointsCommand({ GatewayARN: gatewayArnOf(fleet, gateway.id) }),
      );
      for (const point of listed.VolumeRecoveryPointInfos ?? []) {
        await client.send(
          new CreateSnapshotFromVolumeRecoveryPointCommand({
            VolumeARN: point.VolumeARN,
            SnapshotDescription: `Recovery point ${point.VolumeRecoveryPointTime} of ${point.VolumeARN}`,
          }),
        );
      }
    }
  });
}

// The loop a person writes with the AWS CLI, gateway ARNs as arguments.
const CLI_LOOP = `
set -eu
for gateway in "$@"; do
  for volume in $(aws storagegateway list-volume-recovery-points --endpoint-url "$ENDPOINT" \\
      --gateway-arn "$gateway" --query 'VolumeRecoveryPointInfos[].VolumeARN' --output text); do
    aws storagegateway create-snapshot-from-volume-recovery-point --endpoint-url "$ENDPOINT" \\
      --volume-arn "$volume" --snapshot-description "Recovery point of $volume" --output text > /dev/null
  done
done
`;

/** `aws --version`, or undefined when the AWS CLI is not installed. */
export function awsCliVersion(): string | undefined {
  const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  return `${probe.stdout}${probe.stderr}`.trim();
}

/** The same work as an AWS CLI loop in bash, each call a new `aws` process. */
export function runCliLoop(options: BaselineOptions): Promise<BaselineRun> {
  const gatewayArns = options.fleet.gateways.map((g) => gatewayArnOf(options.fleet, g.id));
  return onFreshStack(options, (stack) =>
    run('bash', ['-c', CLI_LOOP, 'cli-loop', ...gatewayArns], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ENDPOINT: stack.endpoint,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_DEFAULT_REGION: LOCAL_REGION,
        // Nothing from the user's own AWS configuration.
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    }),
  );
}
