import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2_VISIBILITY_DELAYS_MS } from '../src/aws/ec2-visibility.ts';
import type { FaultRule } from '../src/local/emulator/index.ts';
import { EC2_DESCRIBE_SNAPSHOTS_BUCKET } from '../src/local/emulator/index.ts';
import { startLocalExecution } from '../src/local/runner.ts';
import { loadDefinition } from '../src/statemachine/definition.ts';
import { snapshotWorkflow } from '../src/workflow/snapshot.ts';
import { writeFleetFile } from './local-run.ts';
import type { FleetShape } from './scenarios.ts';
import { startBenchStack } from './stack.ts';

/** The Storage Gateway operations a run calls, each throttled by a bucket of its own. */
const STORAGE_GATEWAY_OPERATIONS = [
  'ListGateways',
  'ListVolumeRecoveryPoints',
  'CreateSnapshotFromVolumeRecoveryPoint',
];

/** One fleet with EC2's documented buckets and visibility lag (the defaults), Storage Gateway throttled or not. */
export interface RateLimitedScenario {
  fleet: FleetShape;
  /** Storage Gateway's bucket per operation: it publishes no rate, so this is what the bench sets. Absent: none. */
  storageGateway?: { perSecond: number; burst: number };
  /** Keep the ASL's retry intervals as written (the full run), or compress them 100× (the smoke). */
  realTime: boolean;
}

/** What one rate-limited run did. */
export interface RateLimitedRow extends RateLimitedScenario {
  status: string;
  /**
   * How long the run took on its clock: wall time, plus, when retries are compressed, the intervals the runner
   * skipped (which the emulator's buckets refill through, as AWS's would while the retries wait).
   */
  elapsedMs: number;
  /**
   * The least time the buckets allow: Storage Gateway's for the creates, (creates − burst) / perSecond, or without
   * it EC2's DescribeSnapshots bucket for the run's describes.
   */
  boundMs: number;
  created: number;
  failedVolumes: number;
  /** Snapshots the emulator holds: one per volume when nothing was made twice. */
  snapshotsMade: number;
  /** The volumes those snapshots are of: every volume when none was left without one. */
  volumesSnapshotted: number;
  throttled: number;
  describeSnapshots: number;
  unthrottledDescribeSnapshots: number;
  /** CreateSnapshot attempts that were retries: each may ask DescribeSnapshots (at most 1 + 5 times). */
  retriedCreates: number;
  /** The execution's error, and the start of its cause, if it failed. */
  error?: string;
}

/**
 * What the full run must show, or the bench fails: no volume failed, and no more DescribeSnapshots went through than
 * {@link describeSnapshotsBound}.
 * @throws {Error} naming the row out of bounds
 */
export function assertWithinBounds(rows: readonly RateLimitedRow[]): void {
  for (const row of rows) {
    if (
      row.failedVolumes > 0 ||
      row.unthrottledDescribeSnapshots > describeSnapshotsBound(row.fleet, row.retriedCreates)
    )
      throw new Error(`Rate-limited run out of bounds: ${JSON.stringify(row)}`);
  }
}

/**
 * The 3,200 volumes on 100 gateways under EC2's DescribeSnapshots bucket, retries compressed as `run --local`
 * does: the bench's row, and `npm test`'s (`test/integration/bench-rate-limited.test.ts`).
 */
export const EC2_BUDGET_SCENARIO: RateLimitedScenario = {
  fleet: { gateways: 100, volumesPerGateway: 32 },
  realTime: false,
};

/**
 * The figures: 100 volumes against Storage Gateway at 5 requests a second with AWS's retry intervals, and
 * {@link EC2_BUDGET_SCENARIO}.
 */
export const RATE_LIMITED_FULL: readonly RateLimitedScenario[] = [
  { fleet: { gateways: 4, volumesPerGateway: 25 }, storageGateway: { perSecond: 5, burst: 5 }, realTime: true },
  EC2_BUDGET_SCENARIO,
];

/**
 * The most DescribeSnapshots a run may make that are not throttled: the list step's, a page or two per gateway, and
 * for each retried create one look and one after each of the backoff's delays.
 */
export function describeSnapshotsBound(fleet: FleetShape, retriedCreates: number): number {
  return 2 * fleet.gateways + 1 + (1 + EC2_VISIBILITY_DELAYS_MS.length) * retriedCreates;
}

/**
 * Fan-out against the rate-limited emulator: each scenario once, on a fresh stack, the cloud's rules on (EC2's
 * token buckets and visibility lag) and Storage Gateway throttled by the scenario's buckets.
 */
export async function runRateLimited(
  scenarios: readonly RateLimitedScenario[],
  progress: (line: string) => void = () => {},
): Promise<RateLimitedRow[]> {
  const workDir = await mkdtemp(join(tmpdir(), 'sgw-bench-rate-'));
  const definition = loadDefinition(snapshotWorkflow.definitionUrl);
  const rows: RateLimitedRow[] = [];
  try {
    for (const scenario of scenarios) {
      const { path } = await writeFleetFile(workDir, scenario.fleet);
      const bucket = scenario.storageGateway;
      const faults: FaultRule[] = bucket
        ? STORAGE_GATEWAY_OPERATIONS.map((operation) => ({ operation, rateLimit: bucket }))
        : [];
      const stack = await startBenchStack({ fleetPath: path, faults });
      try {
        let retriedCreates = 0;
        const clockNow = stack.clock?.now ?? Date.now;
        const started = clockNow();
        const result = await startLocalExecution({
          workflow: stack.workflow,
          handlers: stack.handlers,
          definition,
          input: { maxConcurrency: { gateways: 40, snapshots: 40 } },
          realTime: scenario.realTime,
          ...(stack.clock ? { clock: stack.clock } : {}),
          onEvent: (event) => {
            if (event.type === 'StateRetried' && event.state.name === 'CreateSnapshot') retriedCreates += 1;
          },
        }).result;
        const elapsedMs = clockNow() - started;
        const calls = stack.emulator?.calls ?? [];
        const volumes = scenario.fleet.gateways * scenario.fleet.volumesPerGateway;
        const creates = calls.filter((c) => c.operation === 'CreateSnapshotFromVolumeRecoveryPoint' && !c.error);
        const describes = calls.filter((c) => c.operation === 'DescribeSnapshots');
        const { burst, perSecond } = bucket ?? EC2_DESCRIBE_SNAPSHOTS_BUCKET;
        const digest = result.output as { summary?: { created?: number; failed?: number } } | undefined;
        const row: RateLimitedRow = {
          ...scenario,
          status: result.status,
          elapsedMs,
          boundMs: (Math.max(0, (bucket ? creates : describes).length - burst) / perSecond) * 1000,
          created: digest?.summary?.created ?? 0,
          failedVolumes: digest?.summary?.failed ?? volumes,
          snapshotsMade: stack.emulator?.snapshots().length ?? 0,
          volumesSnapshotted: new Set(stack.emulator?.snapshots().map((s) => s.volumeArn)).size,
          throttled: calls.filter((c) => c.error === 'ThrottlingException' || c.error === 'RequestLimitExceeded')
            .length,
          describeSnapshots: describes.length,
          unthrottledDescribeSnapshots: describes.filter((c) => c.error !== 'RequestLimitExceeded').length,
          retriedCreates,
          ...(result.error ? { error: `${result.error}: ${(result.cause ?? '').slice(0, 400)}` } : {}),
        };

        rows.push(row);
        progress(
          `   ${scenario.fleet.gateways}×${scenario.fleet.volumesPerGateway}: ${row.status} ${elapsedMs.toFixed(0)} ms`,
        );
      } finally {
        await stack.close();
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return rows;
}

/** The section's Markdown. */
export function renderRateLimited(rows: readonly RateLimitedRow[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    '## 7. Fan-out against the rate-limited emulator',
    '',
    "Storage Gateway throttled per operation (it publishes no request rates: the figure is the test's), with the",
    "emulator's defaults on: EC2's documented request buckets (`DescribeSnapshots` " +
      `${EC2_DESCRIBE_SNAPSHOTS_BUCKET.burst}, ${EC2_DESCRIBE_SNAPSHOTS_BUCKET.perSecond}/s; \`CreateTags\` 100, 10/s)`,
    "and a 2 s visibility lag for new snapshots. The bound is what Storage Gateway's bucket allows the creates alone:",
    '(creates − burst) / rate; without it, what the DescribeSnapshots bucket allows the describes. Above it: the',
    'full-jitter backoff of the retries (2 s doubling, up to 60 s), which leaves tokens unused while every throttled',
    'create waits. The run throws if a volume failed or the describes that were not throttled pass',
    '2 × gateways + 1 + 6 × retried creates (the list step, a page or two per gateway; a retry looks once, then after',
    'each of its 5 delays). Input: 40 gateways and 40 snapshots at once.',
    '',
    line([
      'fleet',
      'Storage Gateway bucket',
      'retry intervals',
      'status',
      'time (wall + skipped)',
      'bound',
      'time / bound',
      'failed volumes',
      'snapshots',
      'throttled calls',
      'DescribeSnapshots',
      'creates retried',
    ]),
    line(Array(12).fill('---')),
    ...rows.map((r) =>
      line([
        `${r.fleet.gateways}×${r.fleet.volumesPerGateway}`,
        r.storageGateway ? `${r.storageGateway.burst}, ${r.storageGateway.perSecond}/s` : 'none',
        r.realTime ? 'real' : '100× faster',
        r.status,
        `${(r.elapsedMs / 1000).toFixed(1)} s`,
        `${(r.boundMs / 1000).toFixed(1)} s`,
        `${(r.elapsedMs / Math.max(r.boundMs, 1)).toFixed(2)}×`,
        String(r.failedVolumes),
        String(r.snapshotsMade),
        String(r.throttled),
        String(r.describeSnapshots),
        String(r.retriedCreates),
      ]),
    ),
    '',
  ].join('\n');
}
