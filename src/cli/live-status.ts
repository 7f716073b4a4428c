import { clearScreenDown, cursorTo, moveCursor } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import type { CliIo } from './io.ts';

/** How often a terminal's status area is redrawn (the elapsed time ticks even when nothing happens). */
export const DEFAULT_REFRESH_MS = 250;
/** How often a plain status line is written when stderr is not a terminal. */
export const DEFAULT_PLAIN_INTERVAL_MS = 10_000;

export interface LiveStatusOptions {
  stream: CliIo['stderr'];
  /** The status, one or more lines, as it stands now. */
  render: () => string;
  /** @default DEFAULT_REFRESH_MS */
  refreshMs?: number;
  /** @default DEFAULT_PLAIN_INTERVAL_MS */
  plainIntervalMs?: number;
}

/**
 * One status area at the bottom of a terminal, redrawn in place, with the lines of what happened written above it;
 * on a pipe or a file, those lines and a plain status line every `plainIntervalMs`. The cursor moves with Node's
 * own `readline` helpers; a line wider than the terminal is cut, so the area is always as many rows as lines.
 */
export class LiveStatus {
  readonly #stream: CliIo['stderr'];
  readonly #render: () => string;
  readonly #tty: boolean;
  readonly #timer: NodeJS.Timeout;
  #drawn = 0;
  #stopped = false;

  constructor(options: LiveStatusOptions) {
    this.#stream = options.stream;
    this.#render = options.render;
    this.#tty = Boolean(options.stream.isTTY);
    const interval = this.#tty
      ? (options.refreshMs ?? DEFAULT_REFRESH_MS)
      : (options.plainIntervalMs ?? DEFAULT_PLAIN_INTERVAL_MS);
    const tick = this.#tty ? () => this.#draw() : () => this.#write(`${this.#render()}\n`);
    // Never what keeps the process alive: the work it tells of does that.
    this.#timer = setInterval(tick, interval).unref();
    if (this.#tty) this.#draw();
  }

  /** Writes a line of what happened: above the status area on a terminal. */
  log(line: string): void {
    if (this.#stopped) return;
    if (!this.#tty) {
      this.#write(`${line}\n`);
      return;
    }
    this.#clear();
    this.#write(`${line}\n`);
    this.#draw();
  }

  /** Redraws the area now (on a terminal), e.g. after the counts changed. */
  update(): void {
    if (this.#tty && !this.#stopped) this.#draw();
  }

  /** Stops redrawing; the area is replaced by `final` (or cleared), which stays. */
  stop(final?: string): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    if (this.#tty) this.#clear();
    if (final !== undefined) this.#write(`${final}\n`);
  }

  #draw(): void {
    this.#clear();
    const width = this.#stream.columns;
    const lines = this.#render()
      .split('\n')
      .map((line) => (width && visibleLength(line) >= width ? cut(line, width - 1) : line));
    this.#write(lines.join('\n'));
    this.#drawn = lines.length;
  }

  #clear(): void {
    if (!this.#drawn) return;
    const stream = this.#stream as NodeJS.WritableStream;
    cursorTo(stream, 0);
    if (this.#drawn > 1) moveCursor(stream, 0, -(this.#drawn - 1));
    clearScreenDown(stream);
    this.#drawn = 0;
  }

  #write(text: string): void {
    this.#stream.write(text);
  }
}

const ESC = String.fromCharCode(27);
const SGR = new RegExp(`(${ESC}\\[[0-9;]*m)`);

// Colour codes take no room on the screen.
function visibleLength(line: string): number {
  return stripVTControlCharacters(line).length;
}

/** The line's first `width` visible characters, its colour codes kept, and colour reset at the cut. */
function cut(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (const part of line.split(SGR)) {
    if (SGR.test(part)) {
      out += part;
      continue;
    }
    const room = width - visible;
    out += part.slice(0, Math.max(0, room));
    visible += Math.min(part.length, Math.max(0, room));
  }
  return line.includes(ESC) ? `${out}${ESC}[0m` : out;
}
