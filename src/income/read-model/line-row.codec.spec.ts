import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { given, network, sale } from '../../../test/support/ledger-dsl.js';
import { Money } from '../../shared/money.js';
import { LINE_COLUMNS, encodeLine, encodeSource, loadedPosition, storedPosition } from './line-row.codec.js';

/** The stored form by its definition: a byte of length, then the number's bytes, most significant first. */
function definedAs(position: bigint): Buffer {
  const bytes: number[] = [];
  for (let rest = position; rest > 0n || bytes.length === 0; rest >>= 8n) bytes.unshift(Number(rest & 0xffn));
  return Buffer.from([bytes.length, ...bytes]);
}

/** Positions of a SQLite log (safe integers) and of EventStoreDB (up to 39 digits), their edges first. */
const positions = fc.oneof(
  fc.constantFrom(0n, 1n, 255n, 256n, 65_535n, 65_536n, 2n ** 48n, 999_999_999_999_999n, 10n ** 15n, 2n ** 53n),
  fc.bigInt({ min: 0n, max: 2n ** 53n }),
  fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
);

describe('a position as it is stored', () => {
  it('is its length, then its bytes, whether it takes the short way (15 digits or fewer) or not', () => {
    fc.assert(
      fc.property(positions, (position) => {
        expect(storedPosition(position.toString())).toEqual(definedAs(position));
        expect(loadedPosition(storedPosition(position.toString()))).toBe(position.toString());
      }),
    );
  });

  it('sorts, byte by byte, as the numbers do', () => {
    fc.assert(
      fc.property(positions, positions, (a, b) => {
        const byBytes = Math.sign(Buffer.compare(storedPosition(a.toString()), storedPosition(b.toString())));
        expect(byBytes).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });

  it('reads leading zeros as the number they pad', () => {
    expect(storedPosition('007')).toEqual(definedAs(7n));
    expect(storedPosition('0000000000000000000042')).toEqual(definedAs(42n));
  });
});

describe("an event's lines as rows", () => {
  const { lines } = given(network('ana <- ben <- cleo')).when(sale('S-1', 'cleo', '100.00 USD', '2024-02-01'));

  it('given a sale with a line for the seller and one per upline level, when encoded, then its plan version and base are stored once, with the event', () => {
    const [first] = lines;
    const source: unknown[] = [];
    const rows: unknown[] = [];
    encodeSource(first!, '7', '2026-01-01T00:00:00.000Z', source);
    lines.forEach((line, i) => encodeLine(line, first!, '7', i, rows));

    expect(lines.length).toBeGreaterThan(1);
    expect(source.slice(-2)).toEqual([first!.planVersion, 10_000n]);
    expect(rows).toHaveLength(lines.length * LINE_COLUMNS.length);
    expect(rows).not.toContain(first!.planVersion);
    expect(rows).not.toContain(10_000n);
  });

  it("given a line whose plan version or base is not its event's, when encoded, then it is refused", () => {
    const [first, second] = lines;
    const otherPlan = { ...second!, planVersion: 'another' };
    const otherBase = { ...second!, baseAmount: Money.parse('99.00', 'USD') };

    expect(() => encodeLine(otherPlan, first!, '7', 1, [])).toThrow(/line 1 of the event at position 7 differs/);
    expect(() => encodeLine(otherBase, first!, '7', 1, [])).toThrow(/differs from its event's plan or base/);
  });
});
