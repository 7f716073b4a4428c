import { afterAll, jest } from '@jest/globals';

/** One line of CloudWatch's embedded metric format, as Powertools writes it. */
export interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/** What `act` wrote as EMF, and what it threw. */
export interface CapturedEmf {
  lines: EmfLine[];
  error?: unknown;
}

/**
 * Runs `act` with standard output captured and returns the EMF lines it wrote (Powertools' metrics write to
 * `process.stdout` through a `Console` of their own, not through `console.log`), and its error if it threw.
 */
export async function captureEmf(act: () => Promise<unknown>): Promise<CapturedEmf> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  let error: unknown;
  try {
    await act();
  } catch (thrown) {
    error = thrown;
  } finally {
    spy.mockRestore();
  }
  const lines = written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
  return error === undefined ? { lines } : { lines, error };
}

/** The metric values of an EMF line, by name. */
export function valuesOf(line: EmfLine | undefined): Record<string, unknown> {
  if (!line) return {};
  const names = line._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((metric) => metric.Name));
  return Object.fromEntries(names.map((name) => [name, line[name]]));
}

/**
 * Sets the environment Lambda gives a function (metrics on, the stack's namespace, an on-demand instance, whose cold
 * start Powertools counts) for the rest of the test file, and restores it after: the metrics buffer reads it when
 * its module loads, so import the handler (dynamically) after this call.
 */
export function lambdaMetricsEnvironment(namespace: string): void {
  const environment: Record<string, string> = {
    POWERTOOLS_METRICS_DISABLED: 'false',
    POWERTOOLS_METRICS_NAMESPACE: namespace,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  };
  const saved = Object.fromEntries(Object.keys(environment).map((key) => [key, process.env[key]]));
  Object.assign(process.env, environment);
  afterAll(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
}
