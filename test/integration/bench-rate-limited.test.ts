import {
  assertWithinBounds,
  describeSnapshotsBound,
  EC2_BUDGET_SCENARIO,
  type RateLimitedScenario,
  renderRateLimited,
  runRateLimited,
} from '../../bench/rate-limited.ts';
import { EC2_DESCRIBE_SNAPSHOTS_BUCKET } from '../../src/local/emulator/index.ts';

describe('the bench section "fan-out against the rate-limited emulator": its throttled row in small, its EC2 row whole', () => {
  it('accounts for every volume against a throttled Storage Gateway, one snapshot each made, and reports wall time against the bound', async () => {
    // Prepare: the full section runs 100 volumes at 5 requests/s with AWS's retry intervals (npm run bench --
    // --only rate-limited) and expects none to fail; here 10 volumes with retries 100× faster, whose six attempts span
    // well under a second, so a volume may run out of them: the smoke checks the accounting, not the outcome.
    const scenario: RateLimitedScenario = {
      fleet: { gateways: 1, volumesPerGateway: 10 },
      storageGateway: { perSecond: 20, burst: 1 },
      realTime: false,
    };

    // Act
    const [row] = await runRateLimited([scenario]);
    const markdown = renderRateLimited(row ? [row] : []);

    // Assess
    expect((row?.created ?? 0) + (row?.failedVolumes ?? 0)).toBe(10);
    expect(row?.snapshotsMade).toBe(row?.created);
    expect(row?.status).toBe(row?.failedVolumes ? 'FAILED' : 'SUCCEEDED');
    expect(row?.throttled).toBeGreaterThan(0);
    expect(row?.boundMs).toBe((((row?.created ?? 0) - 1) / 20) * 1000);
    // On the run's clock (wall time plus the retry intervals the runner skipped), never faster than the bucket allows.
    expect(row?.elapsedMs).toBeGreaterThanOrEqual(row?.boundMs ?? Number.POSITIVE_INFINITY);
    expect(row?.unthrottledDescribeSnapshots).toBeLessThanOrEqual(
      describeSnapshotsBound(scenario.fleet, row?.retriedCreates ?? 0),
    );
    expect(markdown).toContain('## 7. Fan-out against the rate-limited emulator');
    expect(markdown).toContain(`| 1×10 | 1, 20/s | 100× faster | ${row?.status} |`);
  }, 60_000);

  it("runs the section's 3,200 volumes on 100 gateways under EC2's DescribeSnapshots bucket: none fails, each has one snapshot, and the describes grow with gateways, not volumes", async () => {
    // Prepare: the bench's own row (EC2's default buckets and visibility lag on, retries compressed as run --local).
    const { fleet } = EC2_BUDGET_SCENARIO;
    const volumes = fleet.gateways * fleet.volumesPerGateway;

    // Act
    const [row] = await runRateLimited([EC2_BUDGET_SCENARIO]);

    // Assess
    const bound = describeSnapshotsBound(fleet, row?.retriedCreates ?? 0);
    console.log(
      `${volumes} volumes on ${fleet.gateways} gateways under EC2's DescribeSnapshots bucket ` +
        `(${EC2_DESCRIBE_SNAPSHOTS_BUCKET.burst}, ${EC2_DESCRIBE_SNAPSHOTS_BUCKET.perSecond}/s): ` +
        `${row?.describeSnapshots} DescribeSnapshots calls, ${row?.unthrottledDescribeSnapshots} not throttled ` +
        `(bound ${bound}), ${row?.retriedCreates} creates retried; ${row?.created} created, ` +
        `${row?.failedVolumes} failed, ${((row?.elapsedMs ?? 0) / 1000).toFixed(1)} s${row?.error ? `; ${row.error}` : ''}`,
    );
    expect(row?.status).toBe('SUCCEEDED');
    expect(row?.failedVolumes).toBe(0);
    expect(row?.snapshotsMade).toBe(volumes);
    expect(row?.volumesSnapshotted).toBe(volumes);
    // The list step's query per gateway (a page or two each); a create asks only when it is a retry.
    expect(row?.unthrottledDescribeSnapshots).toBeLessThanOrEqual(bound);
    expect(() => assertWithinBounds(row ? [row] : [])).not.toThrow();
  }, 600_000);
});
