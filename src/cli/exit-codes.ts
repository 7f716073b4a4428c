/** What `sgw-snap` exits with; runbooks branch on these. */
export const ExitCode = {
  /** The execution succeeded (or the command did its job). */
  Succeeded: 0,
  /** The execution failed, timed out or was aborted; the report is still printed. */
  Failed: 1,
  /** A bad flag, an unreadable file, malformed JSON. */
  Usage: 2,
  /** AWS could not be reached, or a permission is missing. */
  Unreachable: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
