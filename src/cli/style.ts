import { styleText } from 'node:util';

/** A format `util.styleText` takes, e.g. `red` or `bold`. */
export type StyleFormat = Parameters<typeof styleText>[0];

/** Colours text for one stream, or leaves it plain. */
export interface Styler {
  readonly enabled: boolean;
  (format: StyleFormat, text: string): string;
}

/**
 * Whether to colour what goes to `stream`, by the conventions of no-color.org and force-color.org: a non-empty
 * `NO_COLOR` turns colour off, `FORCE_COLOR` turns it on (`0` or `false` off) even on a pipe, otherwise a terminal
 * gets colour and a pipe or file does not. `TERM=dumb` gets none. `env` is the command's, not necessarily the process's.
 */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** The styler of `stream`: Node's own `util.styleText` when colour is on (the decision is ours: `colourEnabled`). */
export function stylerFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Styler {
  const enabled = colourEnabled(stream, env);
  const style = (format: StyleFormat, text: string): string =>
    enabled ? styleText(format, text, { validateStream: false }) : text;
  return Object.assign(style, { enabled });
}

const STATUS_FORMATS: Record<string, StyleFormat> = {
  SUCCEEDED: ['bold', 'green'],
  RUNNING: ['bold', 'cyan'],
  FAILED: ['bold', 'red'],
  TIMED_OUT: ['bold', 'red'],
  ABORTED: ['bold', 'yellow'],
  PENDING_REDRIVE: ['bold', 'yellow'],
  PASSED: ['bold', 'green'],
};

/** An execution's status (or a drill's verdict) in its colour: FAILED never looks like SUCCEEDED. */
export function styleStatus(style: Styler, status: string): string {
  const format = STATUS_FORMATS[status];
  return format ? style(format, status) : status;
}
