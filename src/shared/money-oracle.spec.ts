// Money holds integer minor units; decimal.js, at 40 digits and half-to-even, is the oracle it is held to
// (the arithmetic Money did before, and the one the plan's words describe).
import { describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { AMOUNT_MAX, amountProblem, exceedsRatio, Money, minorUnitsOf, Rate } from './money.js';

const Oracle = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
const currencies = fc.constantFrom('USD', 'JPY', 'KWD', 'EUR');
const minor = fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n });
const fraction = (decimalsMax: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: decimalsMax }), fc.bigInt({ min: 0n, max: 10n ** BigInt(decimalsMax) - 1n }))
    .map(([scale, units]) => new Oracle(units.toString()).div(new Oracle(10).pow(scale)).toFixed());
const rate = fraction(10).filter((r) => new Oracle(r).lte(1));
const amountOf = (m: bigint, currency: string) => Money.fromMinorUnits(m, currency);
const oracleOf = (m: bigint, currency: string) =>
  new Oracle(m.toString()).div(new Oracle(10).pow(minorUnitsOf(currency)));
const fixed = (value: InstanceType<typeof Oracle>, currency: string) =>
  value.toDecimalPlaces(minorUnitsOf(currency), Oracle.ROUND_HALF_EVEN).toFixed(minorUnitsOf(currency));

describe('Money against decimal.js', () => {
  it('prints, adds, subtracts and compares as the decimals do', () => {
    fc.assert(
      fc.property(currencies, minor, minor, (currency, a, b) => {
        const [x, y] = [amountOf(a, currency), amountOf(b, currency)];
        const [ox, oy] = [oracleOf(a, currency), oracleOf(b, currency)];
        expect(x.toString()).toBe(fixed(ox, currency));
        expect(Money.parse(x.toString(), currency).equals(x)).toBe(true);
        expect(x.plus(y).toString()).toBe(fixed(ox.plus(oy), currency));
        expect(x.minus(y).toString()).toBe(fixed(ox.minus(oy), currency));
        expect(x.negated().toString()).toBe(fixed(ox.negated(), currency));
        expect(x.compare(y)).toBe(ox.comparedTo(oy));
      }),
    );
  });

  it('multiplies by a rate and rounds half to even once', () => {
    fc.assert(
      fc.property(currencies, minor, rate, (currency, a, r) => {
        const expected = fixed(oracleOf(a, currency).times(new Oracle(r)), currency);
        expect(amountOf(a, currency).timesRate(Rate.of(r)).toString()).toBe(expected);
      }),
    );
  });

  it('takes a share and converts at a fixed rate, rounding half to even once', () => {
    fc.assert(
      fc.property(currencies, currencies, minor, minor, minor, fraction(12), (currency, to, a, p, w, fx) => {
        fc.pre(w !== 0n && !new Oracle(fx).isZero());
        const [ox, op, ow] = [oracleOf(a, currency), oracleOf(p, 'USD'), oracleOf(w, 'USD')];
        const share = amountOf(a, currency).share(amountOf(p, 'USD'), amountOf(w, 'USD'));
        expect(share.toString()).toBe(fixed(ox.times(op).div(ow), currency));
        const converted = amountOf(a, currency).convertedAt(fx, to);
        expect(converted.toString()).toBe(fixed(ox.times(new Oracle(fx)), to));
        expect(converted.currency).toBe(to);
      }),
    );
  });

  it('compares an amount with a ratio of another exactly', () => {
    fc.assert(
      fc.property(minor, minor, fraction(6), (a, b, ratio) => {
        const expected = oracleOf(a, 'USD').gt(oracleOf(b, 'USD').times(new Oracle(ratio)));
        expect(exceedsRatio(amountOf(a, 'USD'), amountOf(b, 'USD'), ratio)).toBe(expected);
      }),
    );
  });

  it('accepts an amount exactly when the decimal is positive, at most the maximum, within the minor units', () => {
    const digits = (min: number, max: number) =>
      fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
    const amount = fc.oneof(
      fc.tuple(digits(1, 11), fc.option(digits(1, 5), { nil: undefined })).map(([w, f]) => (f ? `${w}.${f}` : w)),
      fc.constantFrom('1000000000', '1000000000.00', '1000000000.01', '999999999.999', '0.000', '10.10'),
    );
    fc.assert(
      fc.property(amount, currencies, (text, currency) => {
        const oracle = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,12})?$/.test(text) ? new Oracle(text) : null;
        const accepted =
          oracle !== null && oracle.gt(0) && oracle.lte(AMOUNT_MAX) && oracle.decimalPlaces() <= minorUnitsOf(currency);
        expect(amountProblem(text, currency) === null).toBe(accepted);
      }),
      { numRuns: 5000 },
    );
  });

  it('rounds exact halves to the even cent, both signs', () => {
    const half = Rate.of('0.5');
    expect(Money.parse('0.05', 'USD').timesRate(half).toString()).toBe('0.02');
    expect(Money.parse('0.07', 'USD').timesRate(half).toString()).toBe('0.04');
    expect(Money.parse('-0.05', 'USD').timesRate(half).toString()).toBe('-0.02');
    expect(Money.parse('-0.07', 'USD').timesRate(half).toString()).toBe('-0.04');
    expect(Money.parse('-0.01', 'USD').timesRate(Rate.of('0.4')).toString()).toBe('0.00');
  });
});
