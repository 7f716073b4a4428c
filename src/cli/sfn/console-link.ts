// The Step Functions console's host in each partition; other partitions have no public console.
const CONSOLE_HOSTS: Readonly<Record<string, (region: string) => string>> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-cn': (region) => `${region}.console.amazonaws.cn`,
  'aws-us-gov': () => 'console.amazonaws-us-gov.com',
};

/** The Step Functions console's page of an execution on AWS, or `undefined` for one no console shows (e.g. local). */
export function consoleLinkOf(executionArn: string): string | undefined {
  const [, partition = '', service, region = ''] = executionArn.split(':');
  const host = CONSOLE_HOSTS[partition];
  if (!host || service !== 'states' || !region) return undefined;
  return `https://${host(region)}/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}
