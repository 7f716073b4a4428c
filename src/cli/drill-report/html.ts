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

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

const STYLE = [
  'body{font-family:system-ui,sans-serif;margin:2rem;color:#222}',
  'table{border-collapse:collapse;margin:.5rem 0 1.5rem}',
  'th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}',
  'th{background:#f2f2f2}',
  '.passed{color:#1a7f37}.failed{color:#c62828}',
  'tr.failed td{background:#fdecea}',
  'pre{background:#f6f8fa;padding:.75rem;overflow:auto}',
  // IDs, times and durations are read and copied whole: they never wrap; only free text (causes) does.
  'td{white-space:nowrap}td.text{white-space:normal}',
].join('');

/** The drill report as a standalone HTML page, for an audit ticket. */
export function renderDrillHtml(report: DrillReport): string {
  const body: string[] = [
    `<h1>${escapeHtml(report.title)}</h1>`,
    `<p class="${report.passed ? 'passed' : 'failed'}"><strong>Result: ${escapeHtml(verdict(report))}</strong></p>`,
    `<table>${headFacts(report)
      .map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
      .join('')}</table>`,
    '<h2>Input</h2>',
    `<pre><code>${escapeHtml(report.inputJson)}</code></pre>`,
  ];
  if (report.executionError) {
    body.push(
      '<h2>Execution error</h2>',
      table(['Error', 'Cause'], [[report.executionError.error, report.executionError.cause]], [], 1),
    );
  }
  for (const gateway of report.gateways) {
    body.push(
      `<h2>Gateway ${escapeHtml(gateway.gatewayId)}${gateway.gatewayName ? ` (${escapeHtml(gateway.gatewayName)})` : ''}</h2>`,
      `<p><code>${escapeHtml(gateway.gatewayArn)}</code></p>`,
      table(
        [...VOLUME_HEADER],
        gateway.rows.map(volumeCells),
        gateway.rows.map((row) => row.failed),
      ),
    );
  }
  // Copies (issue 13): which volumes have a usable copy in each destination.
  if (report.copies) {
    body.push(
      '<h2>Copies</h2>',
      table(
        copiesHeader(report.copies),
        report.copies.rows.map(copiesCells),
        report.copies.rows.map((row) => row.failed),
      ),
    );
  }
  body.push(
    '<h2>Skipped</h2>',
    report.skips.length ? table([...SKIP_HEADER], report.skips.map(skipCells)) : '<p>None.</p>',
  );
  body.push(
    '<h2>Failures</h2>',
    report.failures.length
      ? table(
          [...FAILURE_HEADER],
          report.failures.map(failureCells),
          report.failures.map(() => true),
          FAILURE_HEADER.length - 1,
        )
      : '<p>None.</p>',
  );
  // Restore (issue 14)
  const { restore } = report;
  if (restore) {
    body.push(
      '<h2>Restore</h2>',
      `<table>${restoreFacts(restore)
        .map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
        .join('')}</table>`,
      table(
        RESTORE_HEADER,
        restore.rows.map((row) => restoreCells(row, restore)),
        restore.rows.map((row) => row.failed),
      ),
    );
    for (const [title, lines] of [
      ['Preflight problems', restore.preflight],
      ['Not restorable', restore.notRestorable],
    ] as const) {
      if (lines.length)
        body.push(`<h3>${title}</h3>`, `<ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`);
    }
  }
  if (report.notes.length)
    body.push('<h2>Notes</h2>', `<ul>${report.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title><style>${STYLE}</style></head>`,
    `<body>\n${body.join('\n')}\n</body>`,
    '</html>',
    '',
  ].join('\n');
}

function table(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  failed: readonly boolean[] = [],
  textColumn = -1,
): string {
  const head = `<tr>${header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const lines = rows.map(
    (cells, i) =>
      `<tr${failed[i] ? ' class="failed"' : ''}>${cells.map((c, column) => `<td${column === textColumn ? ' class="text"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`,
  );
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${lines.join('\n')}\n</tbody>\n</table>`;
}
