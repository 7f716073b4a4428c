import { DEFAULT_RESTORE_STATE_MACHINE } from '../../src/cli/commands/restore.ts';
import { DEFAULT_STATE_MACHINE } from '../../src/cli/options.ts';
import type { FaultRule } from '../../src/local/emulator/index.ts';
import { loadFleet } from '../../src/local/fleet.ts';
import { createSfnEndpoint, type SfnEndpoint } from '../../src/local/sfn-endpoint/index.ts';
import { DEMO_FLEET_PATH, type LocalStack, startLocalStack } from '../../src/local/stack.ts';
import { restoreWorkflow } from '../../src/workflow/restore.ts';
import { LOCAL_AWS_ENV } from './drive-cli.ts';

/** `sgw-snap serve` as the CLI tests run it, and the environment its output tells a user to export. */
export interface ServedCli {
  stack: LocalStack;
  endpoint: SfnEndpoint;
  /** Dummy credentials, `AWS_ENDPOINT_URL_SFN` and `AWS_ENDPOINT_URL_S3` of the served endpoint. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export interface ServedCliOptions {
  /** Where the embedded S3 server keeps the evidence. */
  s3Directory: string;
  /** @default the demo fleet */
  fleetPath?: string;
  faults?: FaultRule[];
}

/** Serves the state machine `sgw-snap` starts by default on an ephemeral port, over a stack of its own. */
export async function serveForCli({ s3Directory, fleetPath, faults = [] }: ServedCliOptions): Promise<ServedCli> {
  const stack = await startLocalStack({ env: {}, faults, s3Directory, ...(fleetPath ? { fleetPath } : {}) });
  const endpoint = createSfnEndpoint({
    stack,
    stateMachineName: DEFAULT_STATE_MACHINE,
    // Restore (issue 14): as `serve` does, the restore state machine over the same stack.
    alsoServe: [{ workflow: restoreWorkflow, stateMachineName: DEFAULT_RESTORE_STATE_MACHINE }],
  });
  const { url, evidenceUrl } = await endpoint.listen({ port: 0 });
  return {
    stack,
    endpoint,
    env: { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_SFN: url, AWS_ENDPOINT_URL_S3: evidenceUrl },
    async close() {
      await endpoint.close();
      await stack.close();
    },
  };
}

/** The IDs of the volumes of the demo fleet's cached gateways, sorted: every one is in scope of a drill. */
export async function demoVolumeIds(): Promise<string[]> {
  const fleet = await loadFleet(DEMO_FLEET_PATH);
  return fleet.gateways
    .filter((gateway) => gateway.type === 'CACHED')
    .flatMap((gateway) => gateway.volumes.map((volume) => volume.id))
    .sort();
}

/** The fault rule under which every snapshot of `volumeArn` is refused, as a gateway that is offline refuses it. */
export function snapshotRefusedFor(volumeArn: string): FaultRule {
  return { operation: 'CreateSnapshotFromVolumeRecoveryPoint', volumeArn, error: 'InvalidGatewayRequestException' };
}
