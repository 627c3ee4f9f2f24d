import { describe, expect, it } from '@jest/globals';
import { ExpectedMoney, Money, Rate, Weight, amountProblem, minorUnitsOf, normalizeAmount } from './money.js';

describe('money', () => {
  it('knows the ISO 4217 minor units, including where Intl differs', () => {
    expect(['USD', 'JPY', 'KWD', 'HUF', 'IDR', 'CLF'].map(minorUnitsOf)).toEqual([2, 0, 3, 2, 2, 4]);
  });

  it('accepts plain positive decimals within the currency minor units and the maximum', () => {
    expect(['0.01', '12.5', '1000000000', '1000000000.00'].map((a) => amountProblem(a, 'USD'))).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(amountProblem('0.125', 'KWD')).toBeNull();
    expect(amountProblem('1500', 'JPY')).toBeNull();
  });

  it.each([
    ['0', 'USD', 'greater than zero'],
    ['0.00', 'USD', 'greater than zero'],
    ['-1.00', 'USD', 'greater than zero'],
    ['-0', 'USD', 'greater than zero'],
    ['-01.00', 'USD', 'plain decimal'],
    ['1e3', 'USD', 'plain decimal'],
    ['1,000.00', 'USD', 'plain decimal'],
    [' 1.00', 'USD', 'plain decimal'],
    ['01.00', 'USD', 'plain decimal'],
    ['1.', 'USD', 'plain decimal'],
    ['1000000000.01', 'USD', 'at most'],
    ['12.345', 'USD', 'more than 2 decimals'],
    ['1.5', 'JPY', 'more than 0 decimals'],
    ['1.2345', 'KWD', 'more than 3 decimals'],
    ['123456789012345678901234567890', 'USD', 'plain decimal'],
  ])('refuses %s %s: %s', (amount, currency, problem) => {
    expect(amountProblem(amount, currency)).toContain(problem);
  });

  it('multiplies by a rate and rounds half to even at the minor units', () => {
    const line = (amount: string, currency: string, rate: string) =>
      Money.of(amount, currency).timesRate(Rate.of(rate)).toString();
    expect(line('12.50', 'USD', '0.05')).toBe('0.62');
    expect(line('12.70', 'USD', '0.05')).toBe('0.64'); // 0.635 → 0.64
    expect(line('1250', 'JPY', '0.05')).toBe('62');
    expect(line('1250', 'JPY', '0.03')).toBe('38');
    expect(line('10.125', 'KWD', '0.02')).toBe('0.202');
  });

  it('stays exact far beyond 20 significant digits', () => {
    let total = Money.zero('USD');
    for (let i = 0; i < 1000; i++) total = total.plus(Money.of('999999999.99', 'USD'));
    expect(total.toString()).toBe('999999999990.00');
    expect(total.plus(Money.of('0.01', 'USD')).toMinorUnits()).toBe('99999999999001');
  });

  it('round-trips minor units as exact integers', () => {
    expect(Money.fromMinorUnits(123456789012345678n, 'USD').toString()).toBe('1234567890123456.78');
    expect(Money.of('10.125', 'KWD').toMinorUnits()).toBe('10125');
    expect(Money.fromMinorUnits('-5', 'JPY').toString()).toBe('-5');
  });

  it('normalises accepted amounts to the minor units', () => {
    expect([normalizeAmount('10', 'USD'), normalizeAmount('10.5', 'KWD'), normalizeAmount('7', 'JPY')]).toEqual([
      '10.00',
      '10.500',
      '7',
    ]);
  });

  it('refuses rates that are not plain fractions up to 1', () => {
    expect([Rate.problem('0.05'), Rate.problem('1'), Rate.problem('0')]).toEqual([null, null, null]);
    expect(Rate.problem('1.01')).toContain('at most 1');
    expect(Rate.problem('-0.1')).toContain('decimal string');
    expect(Rate.problem('5%')).toContain('decimal string');
  });
});

describe('expected money', () => {
  it('weights minor units exactly and rounds half to even once, when shown', () => {
    const half = Weight.ofProbability(0.5);
    const e = ExpectedMoney.weighted(729n, half, 'USD'); // 7.29 × 0.5 = 3.645
    expect(e.toString()).toBe('3.64');
    expect(e.plus(ExpectedMoney.weighted(1n, Weight.ofProbability(0.5), 'USD')).toString()).toBe('3.65');
    expect(ExpectedMoney.weighted(-729n, half, 'USD').toString()).toBe('-3.64');
    expect(ExpectedMoney.weighted(3n, half, 'JPY').toString()).toBe('2'); // 1.5 → 2
    expect(ExpectedMoney.weighted(5n, half, 'JPY').toString()).toBe('2'); // 2.5 → 2
  });

  it('discounts at an effective annual rate, monthly, and values persistence as ω / (1 + r − ω)', () => {
    const year = ExpectedMoney.ofMoney(Money.of('110.00', 'USD')).times(Weight.discount('0.10', 12));
    expect(year.toString()).toBe('100.00');
    const multiple = ExpectedMoney.ofMoney(Money.of('60.00', 'USD')).times(Weight.persistenceMultiple('0.10', '0.5'));
    expect(multiple.toString()).toBe('50.00');
  });

  it('refuses what is not a probability', () => {
    expect(() => Weight.ofProbability(1.5)).toThrow('not a probability');
    expect(() => Weight.ofProbability(Number.NaN)).toThrow('not a probability');
  });
});
