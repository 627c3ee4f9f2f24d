// CSV as spreadsheets read it (RFC 4180): one module, so every export quotes the same way.

/**
 * One CSV line. Cells with a comma, quote or line break are quoted; a text cell a spreadsheet would
 * take for a formula (=, +, @, or - not starting a number) is prefixed with ' so it stays text.
 */
export function csvLine(cells: readonly (string | number | null)[]): string {
  return cells.map((cell) => csvCell(cell === null ? '' : String(cell))).join(',');
}

export function csvDocument(rows: readonly (readonly (string | number | null)[])[]): string {
  return `${rows.map(csvLine).join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  const safe = /^[=+@\t\r]/.test(value) || (/^-/.test(value) && !/^-[0-9.]+$/.test(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
