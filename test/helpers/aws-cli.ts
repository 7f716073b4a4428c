import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A service error ends AWS CLI v1 with 255 and v2 with 254. */
export const SERVICE_ERROR_EXIT_CODES = [254, 255];
const MISSING_CLI =
  'The AWS CLI (`aws`) is not on PATH. .ci/run installs it (apt-get install -y awscli); install it to run this test.';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Only dummy credentials and settings reach the CLI: no profile, config file or endpoint of the host.
function cliEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

/**
 * Runs the independent AWS CLI against a local endpoint; a missing `aws` fails loudly, a failing
 * command answers its exit code and output.
 */
export async function awsCli(endpointUrl: string, args: readonly string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(
      'aws',
      [...args, '--endpoint-url', endpointUrl, '--region', 'us-east-1', '--output', 'json'],
      { env: cliEnv() },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failed.code === 'ENOENT') throw new Error(MISSING_CLI, { cause: error });
    return { code: Number(failed.code), stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
