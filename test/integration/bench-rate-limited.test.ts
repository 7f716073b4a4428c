import {
  describeSnapshotsBound,
  type RateLimitedScenario,
  renderRateLimited,
  runRateLimited,
} from '../../bench/rate-limited.ts';

describe('the bench section "fan-out against the rate-limited emulator", in small', () => {
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
    expect(row?.wallMs).toBeGreaterThanOrEqual(row?.boundMs ?? Number.POSITIVE_INFINITY);
    expect(row?.unthrottledDescribeSnapshots).toBeLessThanOrEqual(
      describeSnapshotsBound(scenario.fleet, row?.retriedCreates ?? 0),
    );
    expect(markdown).toContain('## 7. Fan-out against the rate-limited emulator');
    expect(markdown).toContain(`| 1×10 | 1, 20/s | 100× faster | ${row?.status} |`);
  }, 60_000);
});
