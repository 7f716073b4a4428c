import { runLocally } from '../../src/cli/commands/run.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { ExitCode } from '../../src/errors.ts';

describe('sgw-snap run --local, the figures of the metrics', () => {
  it('prints under the report the line of figures Summarise publishes as metrics', async () => {
    // Prepare
    let out = '';
    const io: CliIo = { stdout: { write: (text: string) => (out += text) }, stderr: { write: () => true }, env: {} };

    // Act
    const code = await runLocally({ local: true, input: '{}' }, io);

    // Assess: the demo fleet: 11 of 12 volumes snapshotted, one below the minimum usage, which has no snapshot.
    expect(code).toBe(ExitCode.Succeeded);
    const lines = out.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(
      /^Metrics: 11 created, 0 existing, 0 failed, skipped below-min-usage 1; RPO worst \d[\dmhd ]*, median \d[\dmhd ]*; \d+ of 12 volumes older than 24h$/,
    );
    // The volume without a snapshot is always stale.
    expect(Number(/; (\d+) of 12 volumes/.exec(lines.at(-1) ?? '')?.[1])).toBeGreaterThanOrEqual(1);
  });
});
