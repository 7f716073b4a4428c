/** What a CSV cell may hold; `null` and `undefined` are empty cells. */
export type CsvCell = string | number | boolean | null | undefined;

/** RFC 4180 line ending, after every record including the last. */
export const CSV_LINE_END = '\r\n';
/** Prefixed to text a spreadsheet would otherwise run as a formula. */
export const FORMULA_GUARD = "'";

// Spreadsheets start a formula (or a DDE call) at these characters, even inside a quoted field.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One field: text that could start a formula is prefixed with {@link FORMULA_GUARD}; a field holding
 * a quote, comma or line break is quoted, its quotes doubled. Numbers and booleans are written as they
 * are: a negative number is a value, not a formula.
 */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell !== 'string') return String(cell);
  const text = FORMULA_START.test(cell) ? `${FORMULA_GUARD}${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A CSV document (RFC 4180): the header row, then one record per row, each ended by CRLF.
 * @throws RangeError when a row has more or fewer cells than the header
 */
export function formatCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(csvField).join(',')];
  let index = 0;
  for (const row of rows) {
    index += 1;
    if (row.length !== header.length) {
      throw new RangeError(`CSV row ${index} has ${row.length} cells, the header ${header.length}`);
    }
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join(CSV_LINE_END)}${CSV_LINE_END}`;
}
