import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The stage the tests package; it takes the `default` params of `serverless.yml`. */
export const PACKAGE_STAGE = 'test';
/** Packaging bundles six functions; a cold machine needs well over jest's default timeout. */
export const PACKAGE_TIMEOUT_MS = 180_000;
/** The template `serverless deploy` would send to CloudFormation. */
export const TEMPLATE_FILE = 'cloudformation-template-update-stack.json';
/** cfn-lint check left out: osls and serverless-step-functions add DependsOn that a GetAtt already implies. */
export const CFN_LINT_IGNORED_CHECKS = ['W3005'] as const;

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Packaging must never find credentials, so it cannot reach AWS even by accident.
const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
];

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}

export interface CfnOutput {
  Description?: string;
  Value: unknown;
  Export?: { Name: unknown };
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, CfnOutput>;
}

export interface PackagedService {
  /** The `--package` directory: the template and one zip per function. */
  dir: string;
  template: CfnTemplate;
  /** Seconds `serverless package` took. */
  seconds: number;
}

let packaged: Promise<PackagedService> | undefined;

/**
 * Packages the service once per jest worker, offline and without credentials, into a temporary
 * directory; later calls share the result.
 */
export function packageOnce(): Promise<PackagedService> {
  packaged ??= packageService([]);
  return packaged;
}

/** The environment packaging runs in: this process's, less every AWS credential. */
export function packagingEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of CREDENTIAL_VARIABLES) delete env[name];
  return {
    ...env,
    AWS_SDK_LOAD_CONFIG: '0',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  };
}

/**
 * Packages the service with stage params set on the command line (`--param name=value`), as a stage
 * whose params differ from the defaults would; not shared.
 */
export function packageWithParams(params: Readonly<Record<string, string>>): Promise<PackagedService> {
  return packageService(Object.entries(params).map(([name, value]) => `--param=${name}=${value}`));
}

async function packageService(extraArgs: readonly string[] = []): Promise<PackagedService> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sgw-package-'));
  const started = performance.now();
  await run('npx', ['serverless', 'package', '--stage', PACKAGE_STAGE, '--package', dir, ...extraArgs], {
    cwd: PROJECT_ROOT,
    env: packagingEnv(),
    timeout: PACKAGE_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  const template = JSON.parse(await readFile(path.join(dir, TEMPLATE_FILE), 'utf8')) as CfnTemplate;
  return { dir, template, seconds };
}

export interface LintResult {
  exitCode: number;
  output: string;
}

/** Runs cfn-lint on the packaged template; exit code 0 means no error and no unignored warning. */
export function lintTemplate(dir: string): Promise<LintResult> {
  return lintTemplateFile(path.join(dir, TEMPLATE_FILE));
}

/** Runs cfn-lint on one template file, e.g. copies' destination stack (issue 13). */
export async function lintTemplateFile(file: string): Promise<LintResult> {
  const args = ['--ignore-checks', ...CFN_LINT_IGNORED_CHECKS, '--', file];
  try {
    const { stdout, stderr } = await run('cfn-lint', args, { cwd: PROJECT_ROOT, env: packagingEnv() });
    return { exitCode: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { exitCode: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}
