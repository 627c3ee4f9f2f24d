import { describe, expect, it } from '@jest/globals';
import { csvDocument, csvLine } from './csv.js';

describe('CSV', () => {
  it('quotes cells with commas, quotes and line breaks', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'plain'])).toBe('"a,b","say ""hi""","two\nlines",plain');
  });

  it('keeps negative amounts as numbers and neutralises formulas', () => {
    expect(csvLine(['-12.50', '=SUM(A1)', '+1', '@x', '-cmd'])).toBe("-12.50,'=SUM(A1),'+1,'@x,'-cmd");
  });

  it('writes empty cells for null, and ends every row with CRLF', () => {
    expect(
      csvDocument([
        ['a', null, 3],
        ['b', 'c', 4],
      ]),
    ).toBe('a,,3\r\nb,c,4\r\n');
  });
});
