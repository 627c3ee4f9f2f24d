import { describe, expect, it } from '@jest/globals';
import { DEFAULT_PERIOD_RULES, parsePeriodRules, type PeriodRules } from '../plan/period-rules.js';
import { isPeriodName, nextPeriod, periodBounds, periodOf } from './period.js';

const inZone = (timeZone: string): PeriodRules => ({ ...DEFAULT_PERIOD_RULES, timeZone });

describe('commission periods', () => {
  it('are calendar months in UTC by default', () => {
    expect(periodBounds('2025-12', DEFAULT_PERIOD_RULES)).toEqual({
      period: '2025-12',
      from: '2025-12-01T00:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
    });
    expect(periodOf('2025-02-28T23:59:59.999Z', DEFAULT_PERIOD_RULES)).toBe('2025-02');
  });

  it('are the months of the time zone the programme pays in', () => {
    const berlinWinter = inZone('+01:00');
    expect(periodBounds('2025-03', berlinWinter).from).toBe('2025-02-28T23:00:00.000Z');
    expect(periodOf('2025-02-28T23:30:00.000Z', berlinWinter)).toBe('2025-03');
    expect(periodOf('2025-03-31T22:59:59.999Z', berlinWinter)).toBe('2025-03');
    expect(periodOf('2025-03-31T23:00:00.000Z', berlinWinter)).toBe('2025-04');
  });

  it('follow each other across a year', () => {
    expect(nextPeriod('2025-12')).toBe('2026-01');
    expect(nextPeriod('2025-09')).toBe('2025-10');
    expect(['2025-00', '2025-13', '25-01', '1899-12', '2025-1'].filter(isPeriodName)).toEqual([]);
  });
});

describe('period rules of a plan version', () => {
  const parse = (json: unknown) => {
    const problems: string[] = [];
    const rules = parsePeriodRules(json, 'periodRules', (path, problem) => problems.push(`${path}: ${problem}`));
    return { rules, problems };
  };

  it('default to calendar months in UTC with no minimum', () => {
    expect(parse(undefined)).toEqual({ rules: DEFAULT_PERIOD_RULES, problems: [] });
  });

  it('take minimums per currency fixed to its minor units, and a holding period in days', () => {
    expect(
      parse({
        timeZone: '-05:00',
        activity: { minimumPersonalVolume: { USD: '50', JPY: '5000' } },
        payout: { holdingDays: 30, minimum: { USD: '25' } },
      }).rules,
    ).toEqual({
      length: 'calendar-month',
      timeZone: '-05:00',
      minimumPersonalVolume: { JPY: '5000', USD: '50.00' },
      holdingDays: 30,
      minimumPayout: { USD: '25.00' },
    });
  });

  it('name every field that is wrong', () => {
    expect(
      parse({
        length: 'week',
        timeZone: 'Europe/Berlin',
        activity: { minimumPersonalVolume: { XXX: '1', USD: 5 } },
        payout: { holdingDays: -1 },
      }).problems,
    ).toEqual([
      'periodRules.length: must be "calendar-month"',
      'periodRules.timeZone: must be "UTC" or a fixed offset such as "+02:00"',
      'periodRules.activity.minimumPersonalVolume.USD: must be a decimal string such as "100.00"',
      'periodRules.activity.minimumPersonalVolume.XXX: is not an ISO 4217 currency',
      'periodRules.payout.holdingDays: must be a whole number of days from 0 to 366',
    ]);
  });
});
