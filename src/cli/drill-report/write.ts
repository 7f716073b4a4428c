import { writeFile } from 'node:fs/promises';
import { UsageError } from '../../errors.ts';
import { renderDrillHtml } from './html.ts';
import { renderDrillMarkdown } from './markdown.ts';
import type { DrillReport } from './model.ts';

/** The renderer a file name asks for: HTML for `.html`/`.htm`, Markdown otherwise. */
export function rendererFor(path: string): (report: DrillReport) => string {
  return /\.html?$/i.test(path) ? renderDrillHtml : renderDrillMarkdown;
}

/**
 * Writes the drill report to `path`.
 * @throws {UsageError} when the file cannot be written
 */
export async function writeDrillReport(path: string, report: DrillReport): Promise<void> {
  try {
    await writeFile(path, rendererFor(path)(report), 'utf8');
  } catch (error) {
    throw new UsageError(`--report: cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
