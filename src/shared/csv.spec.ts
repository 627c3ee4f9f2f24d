import { describe, expect, it } from '@jest/globals';
import { csvDocument, csvLine } from './csv.js';

describe('CSV', () => {
  it('quotes cells with commas, quotes and line breaks', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'plain'])).toBe('"a,b","say ""hi""","two\nlines",plain');
  });

  it('keeps negative amounts as numbers and neutralises formulas', () => {
    expect(csvLine(['-12.50', '=SUM(A1)', '+1', '@x', '-cmd'])).toBe("-12.50,'=SUM(A1),'+1,'@x,'-cmd");
  });

  it('neutralises every leading character OWASP lists (= + - @ tab CR LF), also behind leading spaces', () => {
    // OWASP's CSV injection note; spreadsheets skip leading spaces before reading a formula
    const cells = ['\n=1+2', '\r=1+2', '\t=1+2', ' =1+2', '  +1', ' @x', ' -cmd', ' -1.00', '\n'];
    expect(csvLine(cells)).toBe(
      [`"'\n=1+2"`, `"'\r=1+2"`, `'\t=1+2`, "' =1+2", "'  +1", "' @x", "' -cmd", "' -1.00", `"'\n"`].join(','),
    );
  });

  it('leaves plain text with inner spaces and signs alone', () => {
    expect(csvLine(['a =b', 'x-y', ' plain', '1+1'])).toBe('a =b,x-y, plain,1+1');
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
