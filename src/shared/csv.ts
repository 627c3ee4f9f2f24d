// CSV as spreadsheets read it (RFC 4180): one module, so every export quotes the same way.

/**
 * One CSV line. Cells with a comma, quote or line break are quoted. A text cell a spreadsheet would take
 * for a formula is prefixed with ' so it stays text: OWASP's CSV injection note lists the leading
 * characters =, +, -, @, tab, carriage return and line feed, and spreadsheets skip leading spaces before
 * reading a formula, so spaces in front of any of them count too. A negative number stays a number.
 */
export function csvLine(cells: readonly (string | number | null)[]): string {
  return cells.map((cell) => csvCell(cell === null ? '' : String(cell))).join(',');
}

export function csvDocument(rows: readonly (readonly (string | number | null)[])[]): string {
  return `${rows.map(csvLine).join('\r\n')}\r\n`;
}

const FORMULA_START = /^ *[=+\-@\t\r\n]/;
const NEGATIVE_NUMBER = /^-[0-9.]+$/;

function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) && !NEGATIVE_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
