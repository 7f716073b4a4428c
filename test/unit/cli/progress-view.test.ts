import { stripVTControlCharacters } from 'node:util';
import { ProgressView } from '../../../src/cli/progress-view.ts';
import { progressLineOf } from '../../../src/cli/sfn/watch.ts';
import { colourEnabled, stylerFor } from '../../../src/cli/style.ts';
import type { ReportDigest } from '../../../src/report/execution-report.ts';
import { snapshotWorkflow } from '../../../src/workflow/snapshot.ts';

const ESC = String.fromCharCode(27);
const VOLUME = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-12A3456B/volume/vol-1122AABB';

function viewOn(isTTY: boolean, env: NodeJS.ProcessEnv = {}, verbose = false) {
  let stderr = '';
  let now = 1_000;
  const view = new ProgressView({
    io: { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text), isTTY }, env },
    workflow: snapshotWorkflow,
    startMs: 1_000,
    now: () => now,
    plainIntervalMs: 60_000,
    ...(verbose ? { verbose } : {}),
  });
  return { view, stderr: () => stderr, tick: (ms: number) => (now += ms) };
}

const created = {
  kind: 'exited' as const,
  stateName: 'CreateSnapshot',
  output: { status: 'created', volumeArn: VOLUME },
};

describe('ProgressView', () => {
  it('tells failures and retries but not every snapshot, unless verbose', () => {
    // Prepare
    const quiet = viewOn(false);
    const verbose = viewOn(false, {}, true);

    // Act
    for (const { view } of [quiet, verbose]) {
      view.step(created, { line: 'snapshot snap-1 of vol-1122AABB', importance: 'step' });
      view.step(
        {
          kind: 'retried',
          stateName: 'CreateSnapshot',
          subject: 'vol-1122AABB on sgw-12A3456B',
          error: 'ThrottlingException',
        },
        {
          line: 'retrying CreateSnapshot for vol-1122AABB on sgw-12A3456B after ThrottlingException',
          importance: 'problem',
        },
      );
      view.finish(undefined);
    }

    // Assess
    expect(quiet.stderr()).not.toContain('snapshot snap-1');
    expect(quiet.stderr()).toContain('[+0.0s] retrying CreateSnapshot for vol-1122AABB on sgw-12A3456B');
    expect(verbose.stderr()).toContain('snapshot snap-1 of vol-1122AABB');
    expect(quiet.stderr().trim().split('\n').at(-1)).toBe(
      'gateways 0 · created 1 · existing 0 · skipped 0 · failed 0 · retries 1',
    );
  });

  it('corrects the live figures from the report where they differ, and says so', () => {
    // Prepare
    const { view, stderr } = viewOn(false);
    view.step(created);
    const digest = { summary: { created: 0, existing: 0, skipped: 0, failed: 1 } } as ReportDigest;

    // Act
    view.finish(digest);

    // Assess
    expect(stderr()).toContain(
      'corrected from the report: gateways 0 · created 1 · existing 0 · skipped 0 · failed 0 · retries 0 → gateways 0 · created 0',
    );
    expect(stderr().trim().split('\n').at(-1)).toBe(
      'gateways 0 · created 0 · existing 0 · skipped 0 · failed 1 · retries 0',
    );
  });

  it('shows total, done, failed, elapsed, ETA and the completion wait', () => {
    // Prepare
    const { view, tick } = viewOn(false);
    view.step({ kind: 'exited', stateName: 'Plan', output: { gatewayArns: ['a'], options: { dryRun: false } } });
    view.step({
      kind: 'exited',
      stateName: 'ListRecoveryPoints',
      output: { listed: { selected: [1, 2, 3, 4], skipped: [], failures: [] } },
    });
    view.step(created);
    tick(10_000);

    // Act
    const running = view.status();
    view.step({
      kind: 'exited',
      stateName: 'CheckSnapshots',
      output: {
        completion: { pending: 4, completed: 7, failed: { created: 0, existing: 0 }, oldestPendingProgress: 42 },
      },
    });
    const waiting = view.status();
    view.abandon();

    // Assess
    expect(running.split('\n')[0]).toBe('1/4 volumes done · 0 failed · elapsed 10.0 s · ETA 30.0 s');
    expect(waiting).toContain('waiting for completion: 7 of 11 snapshots complete, oldest pending 42 %');
    expect(waiting.split('\n')[0]).toContain('ETA —');
  });

  it('redraws its area in place on a terminal and cuts lines to its width', () => {
    // Prepare
    let stderr = '';
    const view = new ProgressView({
      io: {
        stdout: { write: () => true },
        stderr: { write: (t: string) => (stderr += t), isTTY: true, columns: 20 },
        env: {},
      },
      workflow: snapshotWorkflow,
      startMs: Date.now(),
    });

    // Act
    view.note('execution started');
    view.finish(undefined);

    // Assess
    expect(stderr).toContain(`${ESC}[1A`);
    expect(stderr).toContain(`${ESC}[0J`);
    const drawn = stripVTControlCharacters(stderr).split('\n');
    expect(drawn.some((line) => line.startsWith('0/? volumes done'))).toBe(true);
    expect(stripVTControlCharacters(stderr)).not.toContain('0/? volumes done · 0 failed');
  });
});

describe('colour', () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { NO_COLOR: '' }, true],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: true }, { FORCE_COLOR: '0' }, false],
    [{ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    [{ isTTY: true }, { TERM: 'dumb' }, false],
  ])('on %j with %j is %s', (stream, env, expected) => {
    // Act
    const style = stylerFor(stream, env);

    // Assess
    expect(colourEnabled(stream, env)).toBe(expected);
    expect(style('red', 'FAILED') === 'FAILED').toBe(!expected);
  });
});

describe('the progress line of a running execution (status)', () => {
  it('narrates the completion wait from the last CheckSnapshots in the history', () => {
    // Prepare
    const completion = { pending: 4, completed: 7, failed: { created: 1, existing: 0 }, oldestPendingProgress: 42 };
    const events = [
      {
        id: 1,
        type: 'TaskStateExited' as const,
        timestamp: new Date(0),
        stateExitedEventDetails: { name: 'CreateSnapshot', output: JSON.stringify({ status: 'created' }) },
      },
      {
        id: 2,
        type: 'TaskStateExited' as const,
        timestamp: new Date(0),
        stateExitedEventDetails: { name: 'CheckSnapshots', output: JSON.stringify({ completion }) },
      },
    ];

    // Act
    const line = progressLineOf({ events, children: [] }, snapshotWorkflow);

    // Assess
    expect(line).toBe(
      'gateways 0 · created 0 · existing 0 · skipped 0 · failed 1 · retries 0; waiting for completion: 7 of 11 snapshots complete, oldest pending 42 %',
    );
  });
});
