import { CSV_LINE_END, csvField, FORMULA_GUARD, formatCsv } from '../../../src/evidence/csv.ts';

describe('csvField', () => {
  it('writes plain text, numbers and booleans as they are, and null or undefined as an empty field', () => {
    expect([
      csvField('vol-1122AABB'),
      csvField(42),
      csvField(-1.5),
      csvField(true),
      csvField(null),
      csvField(undefined),
    ]).toEqual(['vol-1122AABB', '42', '-1.5', 'true', '', '']);
  });

  it('quotes fields holding a comma, a quote or a line break and doubles the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tcmd', '\rcmd'])('neutralises the formula start of %j', (text) => {
    expect(csvField(text).replace(/^"/, '').startsWith(FORMULA_GUARD)).toBe(true);
  });

  it('neutralises a formula and quotes it when it also needs quotes', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"${FORMULA_GUARD}=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('\rcmd')).toBe(`"${FORMULA_GUARD}\rcmd"`);
  });

  it('leaves text that only contains those characters later alone', () => {
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('2025-01-15T12:00:00.000Z')).toBe('2025-01-15T12:00:00.000Z');
    expect(csvField(' =1')).toBe(' =1');
  });
});

describe('formatCsv', () => {
  it('writes a header row and one record per row, each ended by CRLF', () => {
    const csv = formatCsv(
      ['gateway', 'volume', 'snapshotId', 'sizeBytes'],
      [
        ['cached-1', 'vol-1', 'snap-1', 536_870_912_000],
        ['site, "B"', 'vol-2', null, 0],
      ],
    );
    expect(csv).toBe(
      'gateway,volume,snapshotId,sizeBytes\r\ncached-1,vol-1,snap-1,536870912000\r\n"site, ""B""",vol-2,,0\r\n',
    );
    expect(CSV_LINE_END).toBe('\r\n');
  });

  it('writes only the header when there are no rows and accepts any iterable', () => {
    expect(formatCsv(['a', 'b'], [])).toBe('a,b\r\n');
    function* rows() {
      yield ['1', '2'];
    }
    expect(formatCsv(['a', 'b'], rows())).toBe('a,b\r\n1,2\r\n');
  });

  it('refuses a row whose length differs from the header', () => {
    expect(() => formatCsv(['a', 'b'], [['1', '2'], ['3']])).toThrow(
      new RangeError('CSV row 2 has 1 cells, the header 2'),
    );
  });
});
