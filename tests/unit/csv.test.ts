import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from '../../emails/csv.ts';

describe('csv', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('Almaty, Kazakhstan')).toBe('"Almaty, Kazakhstan"');
    expect(csvCell('say "no"')).toBe('"say ""no"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });
  it('defuses spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+2')).toBe("'-1+2");
  });
  it('writes UTF-8 with a BOM and CRLF rows, keeping Kazakh letters', () => {
    const doc = csvDocument(['name', 'city'], [['Нұрғали', 'Өскемен']]);
    expect(doc).toBe('\uFEFFname,city\r\nНұрғали,Өскемен\r\n');
  });
});
