// RFC 4180 CSV. Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: Array<Parameters<typeof csvCell>[0]>): string {
  return values.map(csvCell).join(',') + '\r\n';
}

/** UTF-8 with a byte-order mark, so spreadsheet programs show Cyrillic and Kazakh letters correctly. */
export function csvDocument(header: string[], rows: Array<Array<Parameters<typeof csvCell>[0]>>): string {
  return '\uFEFF' + csvRow(header) + rows.map(csvRow).join('');
}
