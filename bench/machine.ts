import { availableParallelism, cpus, totalmem } from 'node:os';

/** The machine a result was measured on. */
export interface MachineFacts {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  date: string;
  awsCli: string | undefined;
}

export function machineFacts(now: Date, awsCli: string | undefined): MachineFacts {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: now.toISOString(),
    awsCli,
  };
}
