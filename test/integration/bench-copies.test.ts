import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copiesSection, measureCopies } from '../../bench/copies.ts';
import { SMOKE_PLAN } from '../../bench/scenarios.ts';
import { CONCURRENT_COPIES_PER_DESTINATION_REGION } from '../../src/copies/limits.ts';
import { loadDefinition } from '../../src/statemachine/definition.ts';
import { snapshotWorkflow } from '../../src/workflow/snapshot.ts';

describe('npm run bench -- --only copies, on the smoke fleet', () => {
  it('copies every volume through the concurrent-copy limit and renders its section', async () => {
    // Prepare
    const workDir = await mkdtemp(join(tmpdir(), 'bench-copies-'));

    // Act
    const bench = await measureCopies({
      definition: loadDefinition(snapshotWorkflow.definitionUrl),
      workDir,
      ...SMOKE_PLAN.copies,
    }).finally(() => rm(workDir, { recursive: true, force: true }));

    // Assess
    expect(bench).toMatchObject({ status: 'SUCCEEDED', completed: 30, failed: 0 });
    expect(bench.maxInFlight).toBeLessThanOrEqual(CONCURRENT_COPIES_PER_DESTINATION_REGION);
    expect(bench.copiesPerMinute).toBeGreaterThan(0);
    expect(bench.copiesPerMinute).toBeLessThanOrEqual(bench.ceilingPerMinute);
    expect(copiesSection(bench)).toContain('## 9. Copies at the concurrent-copy limit');
  }, 60_000);
});
