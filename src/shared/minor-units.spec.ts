import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Money, minorUnitsOf, minorUnitsOfAmount } from './money.js';

describe('minorUnitsOfAmount, the writer’s shortcut', () => {
  it('agrees with Money for any amount the ledger writes, in every kind of currency', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('USD', 'JPY', 'KWD', 'EUR'),
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        (currency, minor) => {
          const text = Money.fromMinorUnits(minor, currency).toString();
          expect(minorUnitsOfAmount(text, currency)).toBe(BigInt(Money.parse(text, currency).toMinorUnits()));
        },
      ),
    );
  });

  it('reads fewer decimals than the currency has, as Money.parse does', () => {
    expect(minorUnitsOfAmount('12.5', 'USD')).toBe(1250n);
    expect(minorUnitsOfAmount('7', 'KWD')).toBe(7000n);
    expect(minorUnitsOfAmount('-0.01', 'USD')).toBe(-1n);
    expect(minorUnitsOf('JPY')).toBe(0);
    expect(minorUnitsOfAmount('1500', 'JPY')).toBe(1500n);
  });

  it('refuses what Money.parse refuses', () => {
    for (const [text, currency] of [
      ['1.005', 'USD'],
      ['1.5', 'JPY'],
      ['01.00', 'USD'],
      ['1e3', 'USD'],
      ['+1.00', 'USD'],
      ['', 'USD'],
      ['1.00', 'ZZZ'],
    ] as const) {
      expect(() => Money.parse(text, currency)).toThrow();
      expect(() => minorUnitsOfAmount(text, currency)).toThrow();
    }
  });
});
