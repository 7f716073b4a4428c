/**
 * The time of a local run whose runner compresses Wait states and retry intervals: real time plus the intervals
 * the runner skipped. The emulator and the step handlers sharing the runner's process read it, so what AWS does
 * while an execution waits (EC2's token buckets refill, snapshots complete, EC2's visibility lag passes, locks
 * expire) has happened when the execution goes on, as on AWS. Nothing else moves it: with `--real-time`, or with
 * the emulator alone, it stays real time.
 */
export class SimulatedClock {
  #aheadMs = 0;

  /** Epoch milliseconds: `Date.now()` plus the time skipped so far. */
  readonly now = (): number => Date.now() + this.#aheadMs;

  /** How far the clock runs ahead of real time, in milliseconds. */
  get aheadMs(): number {
    return this.#aheadMs;
  }

  /**
   * Moves the clock forward to `time` (epoch milliseconds) unless it is already there: waits that overlapped (the
   * iterations of a Map waiting side by side) move it once, as their real counterparts would pass together.
   */
  advanceTo(time: number): void {
    this.#aheadMs = Math.max(this.#aheadMs, time - Date.now());
  }
}
