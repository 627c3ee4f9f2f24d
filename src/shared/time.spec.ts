import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addCalendarMonths, isInstant, parseInstant } from './time.js';

describe('business time', () => {
  it('stores instants with an offset as canonical UTC to the millisecond', () => {
    expect(parseInstant('2026-03-01T09:30:00+01:00')).toBe('2026-03-01T08:30:00.000Z');
    expect(parseInstant('2026-03-01T09:30Z')).toBe('2026-03-01T09:30:00.000Z');
    expect(parseInstant('2026-03-01T00:30:00.123456-02:30')).toBe('2026-03-01T03:00:00.123Z');
  });

  it.each([
    '2026-03-01',
    '2026-03-01T09:30:00',
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01 09:30:00Z',
    'yesterday',
    '1899-12-31T00:00:00Z',
    '+02026-03-01T00:00:00Z',
  ])('refuses %s', (text) => {
    expect(parseInstant(text)).toBeNull();
  });

  it('adds calendar months, clamping to the last day of a shorter month', () => {
    expect(addCalendarMonths('2025-01-15T10:00:00.000Z', 12)).toBe('2026-01-15T10:00:00.000Z');
    expect(addCalendarMonths('2025-01-31T10:00:00.000Z', 1)).toBe('2025-02-28T10:00:00.000Z');
    expect(addCalendarMonths('2024-02-29T00:00:00.000Z', 12)).toBe('2025-02-28T00:00:00.000Z');
    expect(addCalendarMonths('2025-11-30T00:00:00.000Z', 3)).toBe('2026-02-28T00:00:00.000Z');
  });

  it('adds calendar months as the same moment of the clamped day, whatever the month and sign (held to Date)', () => {
    // the reference: the date moved through Date, its day clamped to the target month's last day
    const throughDate = (instant: string, months: number) => {
      const t = new Date(instant);
      const target = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + months, 1));
      const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      target.setUTCDate(Math.min(t.getUTCDate(), last));
      target.setUTCHours(t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds());
      return target.getUTCFullYear() > 9999 ? null : target.toISOString();
    };
    const instant = fc
      .date({
        min: new Date('1900-01-01T00:00:00.000Z'),
        max: new Date('9999-12-31T23:59:59.999Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
    fc.assert(
      fc.property(instant, fc.integer({ min: -240, max: 1200 }), (at, months) =>
        expect(addCalendarMonths(at, months)).toBe(throughDate(at, months)),
      ),
      { numRuns: 20_000 },
    );
  });

  it('takes a text for an instant exactly when parsing it gives it back (impossible days, years, hours refused)', () => {
    const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
    const nearlyCanonical = fc
      .tuple(digits(4, 9999), digits(2, 13), digits(2, 32), digits(2, 25), digits(2, 60), digits(2, 60), digits(3, 999))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    const anyText = fc.oneof(
      nearlyCanonical,
      fc.string(),
      nearlyCanonical.map((t) => t.replace('Z', '+00:00')),
    );
    fc.assert(
      fc.property(anyText, (text) => isInstant(text) === (parseInstant(text) === text)),
      { numRuns: 20_000 },
    );
    expect(['2024-02-29T00:00:00.000Z', '2023-02-29T00:00:00.000Z', '1899-12-31T23:59:59.999Z'].map(isInstant)).toEqual(
      [true, false, false],
    );
  });
});
