/** Where an execution runs: the partition, Region and account of its ARN. */
export interface ExecutionScope {
  partition: string;
  region: string;
  account: string;
}

// arn:<partition>:states:<region>:<account>:execution:<state machine>:<name>, and a child's
// execution:<state machine>/<map run label>:<name>.
const EXECUTION_ARN = /^arn:([a-z-]+):states:([a-z0-9-]+):(\d{12}):execution:/;
// arn:<partition>:storagegateway:<region>:<account>:…
const RESOURCE_ARN = /^arn:([^:]*):[^:]*:([^:]*):([^:]*):/;

/** The scope of an execution ARN, or `undefined` when `executionArn` is not one. */
export function scopeOfExecutionArn(executionArn: string): ExecutionScope | undefined {
  const match = EXECUTION_ARN.exec(executionArn);
  if (!match) return undefined;
  const [, partition = '', region = '', account = ''] = match;
  return { partition, region, account };
}

/**
 * Why `arn` lies outside `scope` (another partition, Region or account), or `undefined` when it lies
 * inside. Storage Gateway would answer such an ARN with an error, or act in another account; neither
 * may happen after the input was accepted.
 */
export function outOfScopeProblem(arn: string, scope: ExecutionScope): string | undefined {
  const [, partition, region, account] = RESOURCE_ARN.exec(arn) ?? [];
  if (partition !== scope.partition) return `is in partition ${partition}; this execution runs in ${scope.partition}`;
  if (region !== scope.region) return `is in Region ${region}; this execution runs in ${scope.region}`;
  if (account !== scope.account) return `is in account ${account}; this execution runs in ${scope.account}`;
  return undefined;
}
