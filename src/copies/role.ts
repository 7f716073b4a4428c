/** The environment variable that names the copy role of the destination accounts, in the copy function. */
export const COPY_ROLE_NAME_VARIABLE = 'COPY_ROLE_NAME';
/** The copy role's name where nobody names one (local runs): the destination stack's role of the default stage. */
export const DEFAULT_COPY_ROLE_NAME = 'sgw-recovery-snapshots-copy';

/** `arn:aws:iam::<account>:role/<name>`: the copy role a destination account trusts the copy function with. */
export function copyRoleArn(accountId: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** The copy role's name, from the function's environment, read once at module scope. */
export function copyRoleNameFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  return env[COPY_ROLE_NAME_VARIABLE]?.trim() || DEFAULT_COPY_ROLE_NAME;
}
