import {
  copiesCells,
  copiesHeader,
  FAILURE_HEADER,
  failureCells,
  headFacts,
  SKIP_HEADER,
  skipCells,
  VOLUME_HEADER,
  verdict,
  volumeCells,
} from './facts.ts';
import type { DrillReport } from './model.ts';
import { RESTORE_HEADER, restoreCells, restoreFacts } from './restore.ts';

/** The drill report as Markdown, for an audit ticket. */
export function renderDrillMarkdown(report: DrillReport): string {
  const out: string[] = [`# ${inline(report.title)}`, '', `**Result: ${verdict(report)}**`, ''];
  out.push(table(['', ''], headFacts(report)), '');
  out.push('## Input', '', fenced(report.inputJson, 'json'), '');
  if (report.executionError) {
    out.push(
      '## Execution error',
      '',
      table(['Error', 'Cause'], [[report.executionError.error, report.executionError.cause]]),
      '',
    );
  }
  for (const gateway of report.gateways) {
    const name = gateway.gatewayName ? ` (${inline(gateway.gatewayName)})` : '';
    out.push(
      `## Gateway ${inline(gateway.gatewayId)}${name}`,
      '',
      `\`${gateway.gatewayArn.replaceAll('`', "'")}\``,
      '',
    );
    out.push(table([...VOLUME_HEADER], gateway.rows.map(volumeCells)), '');
  }
  // Copies (issue 13): which volumes have a usable copy in each destination.
  if (report.copies) {
    out.push('## Copies', '', table(copiesHeader(report.copies), report.copies.rows.map(copiesCells)), '');
  }
  out.push('## Skipped', '', report.skips.length ? table([...SKIP_HEADER], report.skips.map(skipCells)) : 'None.', '');
  out.push(
    '## Failures',
    '',
    report.failures.length ? table([...FAILURE_HEADER], report.failures.map(failureCells)) : 'None.',
    '',
  );
  // Restore (issue 14)
  const { restore } = report;
  if (restore) {
    out.push('## Restore', '', table(['', ''], restoreFacts(restore)), '');
    out.push(
      table(
        RESTORE_HEADER,
        restore.rows.map((row) => restoreCells(row, restore)),
      ),
      '',
    );
    for (const [title, lines] of [
      ['Preflight problems', restore.preflight],
      ['Not restorable', restore.notRestorable],
    ] as const) {
      if (lines.length) out.push(`### ${title}`, '', ...lines.map((line) => `- ${inline(line)}`), '');
    }
  }
  if (report.notes.length) out.push('## Notes', '', ...report.notes.map((note) => `- ${inline(note)}`), '');
  return out.join('\n');
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

// A table cell is one line, and `|` would end it.
function cell(text: string): string {
  return inline(text).replaceAll('|', '\\|');
}

function inline(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').replace(/([\\`*_<>[\]])/g, '\\$1');
}

// A fence longer than any run of backticks inside, so the content cannot close it.
function fenced(text: string, language: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
