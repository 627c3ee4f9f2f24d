import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { comparePositions } from './event-store.port.js';

/** Positions of a SQLite log (safe integers) and of EventStoreDB (up to 39 digits), their edges first. */
const positions = fc.oneof(
  fc.constantFrom(0n, 1n, 999_999_999_999_999n, 10n ** 15n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 128n - 1n),
  fc.bigInt({ min: 0n, max: 10n ** 15n }),
  fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
);

describe('comparing two positions', () => {
  it('orders them as the numbers they write, whether both take the short way (15 digits or fewer) or not', () => {
    fc.assert(
      fc.property(positions, positions, (a, b) => {
        expect(comparePositions(a.toString(), b.toString())).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });

  it('given text that is not a position, throws, as it always did', () => {
    expect(() => comparePositions('1e3', '7')).toThrow(SyntaxError);
    expect(() => comparePositions('7', 'seven')).toThrow(SyntaxError);
  });
});
