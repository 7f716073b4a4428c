import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** The machine a result was measured on. */
export interface MachineFacts {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  date: string;
  awsCli: string | undefined;
  /** The 1-minute load average when the bench began and when it ended: other work on the cores skews every time. */
  loadAverage: { start: number; end: number };
}

/** The 1-minute load average now. */
export function loadAverageNow(): number {
  return loadavg()[0] ?? Number.NaN;
}

export function machineFacts(now: Date, awsCli: string | undefined, loadAtStart: number): MachineFacts {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: now.toISOString(),
    awsCli,
    loadAverage: { start: loadAtStart, end: loadAverageNow() },
  };
}
