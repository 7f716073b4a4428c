import type { ProgressCountsBase, WorkflowDescriptor } from '../../workflow/descriptor.ts';
import type { CliIo } from '../io.ts';
import type { ExecutionSeen } from '../outcome.ts';
import { ProgressView } from '../progress-view.ts';
import type { ExecutionHistories } from './follow.ts';
import type { SfnCommandDeps, SfnSession } from './session.ts';
import { watchExecution } from './watch.ts';

/** What the interrupted message tells the operator to type to follow or stop the execution again. */
export interface FollowHint {
  follow: string;
  stop: string;
}

export interface WaitOptions<TCounts extends ProgressCountsBase, TReport> {
  workflow: WorkflowDescriptor<TCounts, TReport>;
  /** Where the narration goes; `undefined` (with `--json`) for none. */
  view?: ProgressView<TCounts, TReport> | undefined;
  /** `--poll-ms`, else `deps.pollMs`. */
  pollMs?: number | undefined;
  /** Events up to this ID are an earlier attempt's (before a redrive): followed for their map runs, not told. */
  afterEventId?: number;
  hint: FollowHint;
}

/**
 * The live progress of an execution followed from `started` (`start`, `restore`, `redrive` with `--wait`), or none
 * with `--json`; elapsed time counts from the execution's start, on `deps.now`'s clock when a test gives one.
 */
export function followedView<TCounts extends ProgressCountsBase, TReport>(
  workflow: WorkflowDescriptor<TCounts, TReport>,
  started: { startDate: Date },
  options: { json?: boolean | undefined; verbose?: boolean | undefined },
  io: CliIo,
  deps: Pick<SfnCommandDeps, 'now'>,
): ProgressView<TCounts, TReport> | undefined {
  if (options.json) return undefined;
  const now = deps.now;
  return new ProgressView({
    io,
    workflow,
    startMs: started.startDate.getTime(),
    ...(now ? { now: () => now().getTime() } : {}),
    ...(options.verbose ? { verbose: true } : {}),
  });
}

/** Thrown into the wait when the operator presses Ctrl-C; the execution itself is left running. */
class WaitInterrupted extends Error {
  override readonly name = 'WaitInterrupted';
}

/**
 * Follows the execution until it ends or SIGINT arrives (`start`, `restore` and `redrive` with `--wait`). Ctrl-C
 * stops only the following: the execution goes on in Step Functions, and the message says so and how to follow
 * or stop it; the caller exits `ExitCode.Interrupted` (130) on `undefined`.
 */
export async function followUntilInterrupted<TCounts extends ProgressCountsBase, TReport>(
  session: SfnSession,
  started: { executionArn: string; startDate: Date },
  io: CliIo,
  deps: SfnCommandDeps,
  options: WaitOptions<TCounts, TReport>,
): Promise<(ExecutionSeen & ExecutionHistories) | undefined> {
  const { view } = options;
  const signals = deps.signals ?? process;
  let interrupt: (error: WaitInterrupted) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = reject;
  });
  interrupted.catch(() => undefined);
  const onSignal = (): void => interrupt(new WaitInterrupted('SIGINT'));
  signals.once('SIGINT', onSignal);
  // Not unref'd: between two polls this timer is all that keeps the process alive.
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = options.pollMs ?? deps.pollMs;
  try {
    return await Promise.race([
      watchExecution(session.sfn, started, io, {
        workflow: options.workflow,
        ...(view ? { view } : {}),
        ...(pollMs === undefined ? {} : { pollMs }),
        ...(options.afterEventId === undefined ? {} : { afterEventId: options.afterEventId }),
        // Every poll waits on the interrupt too, so the loop ends at its next pause.
        sleep: (ms) => Promise.race([sleep(ms), interrupted]),
      }),
      interrupted,
    ]);
  } catch (error) {
    view?.abandon();
    if (!(error instanceof WaitInterrupted)) throw error;
    const name = nameOfExecution(started.executionArn);
    io.stderr.write(
      `\ninterrupted: stopped following, not the execution. ${name} goes on running in Step Functions ` +
        `(${started.executionArn}).\nFollow it with: ${options.hint.follow}\nStop it with:   ${options.hint.stop}\n`,
    );
    return undefined;
  } finally {
    signals.off('SIGINT', onSignal);
  }
}

/** The execution's name: the last field of its ARN. */
export function nameOfExecution(executionArn: string): string {
  return executionArn.slice(executionArn.lastIndexOf(':') + 1);
}

/** Step Functions' own call to stop an execution, which works on AWS and, with `AWS_ENDPOINT_URL_SFN`, on `serve`. */
export function stopHintOf(executionArn: string): string {
  return `aws stepfunctions stop-execution --execution-arn ${executionArn}`;
}
