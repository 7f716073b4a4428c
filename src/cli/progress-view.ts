import { type ProgressCountsBase, stateReaderOf, type WorkflowDescriptor } from '../workflow/descriptor.ts';
import { GatewayNames } from './gateway-names.ts';
import type { CliIo } from './io.ts';
import { DEFAULT_PLAIN_INTERVAL_MS, LiveStatus } from './live-status.ts';
import { type Importance, ProgressTracker, type StepEvent } from './progress.ts';
import { type Styler, stylerFor } from './style.ts';

/** Milliseconds between two plain status lines on a pipe, when the environment sets it (`SGW_SNAP_PROGRESS_MS`). */
export const PROGRESS_INTERVAL_VARIABLE = 'SGW_SNAP_PROGRESS_MS';

export interface ProgressViewOptions<TCounts extends ProgressCountsBase, TReport> {
  io: CliIo;
  workflow: Pick<
    WorkflowDescriptor<TCounts, TReport>,
    'states' | 'initialCounts' | 'progressLine' | 'progressFigures' | 'reconcile'
  >;
  /** When the run started (elapsed time and ETA count from it). */
  startMs: number;
  /** Tell every step, not only failures, retries and the execution's start and end. */
  verbose?: boolean;
  /** @default Date.now */
  now?: () => number;
  /** @default from `SGW_SNAP_PROGRESS_MS`, else DEFAULT_PLAIN_INTERVAL_MS */
  plainIntervalMs?: number;
}

/**
 * What a person watching a run reads on stderr: the noteworthy lines (failures, retries naming what they work on,
 * the execution's start and end; every step with `verbose`) above one live status area on a terminal — total,
 * done, failed, elapsed, ETA, the counts, and what the run waits for — or plain status lines now and then on a
 * pipe. At the end the counts are made to agree with the report, and any correction is told.
 */
export class ProgressView<TCounts extends ProgressCountsBase, TReport> {
  readonly tracker: ProgressTracker<TCounts>;
  readonly #options: ProgressViewOptions<TCounts, TReport>;
  readonly #style: Styler;
  readonly #now: () => number;
  readonly #live: LiveStatus;
  readonly #names = new GatewayNames();

  constructor(options: ProgressViewOptions<TCounts, TReport>) {
    this.#options = options;
    this.tracker = new ProgressTracker(options.workflow);
    this.#style = stylerFor(options.io.stderr, options.io.env);
    this.#now = options.now ?? Date.now;
    const fromEnv = Number(options.io.env[PROGRESS_INTERVAL_VARIABLE]);
    this.#live = new LiveStatus({
      stream: options.io.stderr,
      render: () => this.status(),
      plainIntervalMs:
        options.plainIntervalMs ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_PLAIN_INTERVAL_MS),
    });
  }

  /** Counts a step, and tells its line if it is worth telling. */
  step(
    step: StepEvent | undefined,
    told: { line?: string | undefined; importance?: Importance; atMs?: number | undefined } = {},
  ): void {
    if (step?.kind === 'exited') {
      const reader = stateReaderOf(this.#options.workflow, step.stateName);
      for (const [gateway, name] of reader?.gatewayNames?.(step.output) ?? []) this.#names.learn(gateway, name);
    }
    const changed = step ? this.tracker.record(step) : false;
    if (told.line && (told.importance === 'problem' || this.#options.verbose))
      this.#tell(told.line, told.importance, told.atMs);
    if (changed) this.#live.update();
  }

  /** Tells a line that is not a step (a milestone of the execution, a note); `atMs` is when it happened. */
  note(line: string, atMs?: number): void {
    this.#live.log(this.#stamp(this.#names.label(line), atMs));
  }

  /**
   * Ends the live area with the final counts. With the report, the counts are first made to say what it says; if
   * the live figures had said otherwise, a line tells the correction.
   */
  finish(report: TReport | undefined): void {
    if (report !== undefined && report !== null) {
      const before = this.tracker.line();
      if (this.#options.workflow.reconcile(this.tracker.counts, report)) {
        this.#live.log(this.#style('yellow', `corrected from the report: ${before} → ${this.tracker.line()}`));
      }
    }
    this.#live.stop(this.#countsLine());
  }

  /** Ends the live area without a word (e.g. Ctrl-C). */
  abandon(): void {
    this.#live.stop();
  }

  /** The live status: figures, elapsed and ETA; the counts; what the run waits for. */
  status(): string {
    const figures = this.tracker.figures();
    const elapsedMs = this.#now() - this.#options.startMs;
    const total = figures.total === undefined ? '?' : String(figures.total);
    const failed = figures.failed ? this.#style('red', `${figures.failed} failed`) : '0 failed';
    const remaining = figures.total === undefined ? undefined : figures.total - figures.done;
    const eta =
      figures.waiting || remaining === undefined || figures.done === 0
        ? '—'
        : duration(remaining <= 0 ? 0 : (elapsedMs / figures.done) * remaining);
    const head = `${this.#style('bold', `${figures.done}/${total}`)} ${figures.unit} done · ${failed} · elapsed ${duration(elapsedMs)} · ETA ${eta}`;
    const waiting = figures.waiting ? `\nwaiting for completion: ${figures.waiting}` : '';
    return `${head}\n${this.#style('dim', this.tracker.line())}${waiting}`;
  }

  #tell(told: string, importance: Importance | undefined, atMs: number | undefined): void {
    const line = this.#names.label(told);
    const styled = importance === 'problem' ? this.#style(line.startsWith('retrying') ? 'yellow' : 'red', line) : line;
    this.#live.log(this.#stamp(styled, atMs));
  }

  #countsLine(): string {
    const { failed } = this.tracker.figures();
    return failed ? this.#style('red', this.tracker.line()) : this.tracker.line();
  }

  /** `[+12.3s] line`: seconds since the start, as the history's timestamps give them. */
  #stamp(line: string, atMs = this.#now()): string {
    const seconds = Math.max(0, (atMs - this.#options.startMs) / 1000);
    return `${this.#style('dim', `[+${seconds.toFixed(1)}s]`)} ${line}`;
  }
}

/** `950 ms`, `12.3 s`, `4 min 05 s`, `2 h 07 min` */
export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1_000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
