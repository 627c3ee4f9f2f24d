import { describe, expect, it } from '@jest/globals';
import { DEFAULT_PERIOD_RULES, parsePeriodRules, type PeriodRules } from '../plan/period-rules.js';
import { qualify, reportingVolumeOf } from './period-figures.js';
import { isPeriodName, nextPeriod, periodBounds, periodOf, previousPeriod } from './period.js';

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

  it('follow daylight saving in a named zone: Berlin moves to summer time on 30 March 2025 and back on 26 October', () => {
    const berlin = inZone('Europe/Berlin');
    expect(periodBounds('2025-03', berlin)).toEqual({
      period: '2025-03',
      from: '2025-02-28T23:00:00.000Z',
      to: '2025-03-31T22:00:00.000Z',
    });
    expect(periodBounds('2025-10', berlin).to).toBe('2025-10-31T23:00:00.000Z');
    expect(periodOf('2025-03-30T01:30:00.000Z', berlin)).toBe('2025-03'); // 03:30 summer time
    expect(periodOf('2025-03-31T21:59:59.999Z', berlin)).toBe('2025-03');
    expect(periodOf('2025-03-31T22:00:00.000Z', berlin)).toBe('2025-04');
  });

  it('start when the clock jumps over a midnight that never happened (Asunción, 1 October 2023)', () => {
    const asuncion = inZone('America/Asuncion');
    // 23:59:59 on 30 September at -04:00, then 01:00 on 1 October at -03:00
    expect(periodBounds('2023-10', asuncion).from).toBe('2023-10-01T04:00:00.000Z');
    expect(periodOf('2023-10-01T03:59:59.999Z', asuncion)).toBe('2023-09');
    expect(periodOf('2023-10-01T04:00:00.000Z', asuncion)).toBe('2023-10');
  });

  it('start at the first of two midnights when the clock is set back after it (Havana, 1 November 2020)', () => {
    const havana = inZone('America/Havana');
    // 00:00 to 01:00 on 1 November happened at -04:00, then again at -05:00
    expect(periodBounds('2020-11', havana).from).toBe('2020-11-01T04:00:00.000Z');
    expect(periodOf('2020-11-01T03:59:59.999Z', havana)).toBe('2020-10');
    expect(periodOf('2020-11-01T05:30:00.000Z', havana)).toBe('2020-11'); // the second 00:30
  });

  it('hold every instant in exactly one period, in zones with daylight saving, half hours and odd rules', () => {
    const zones = ['Europe/Berlin', 'America/Asuncion', 'America/Havana', 'Asia/Gaza', 'America/St_Johns'];
    const more = ['Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu', 'America/Santiago', 'Africa/Casablanca'];
    for (const zone of [...zones, ...more]) {
      const rules = inZone(zone);
      for (let year = 2000; year <= 2026; year++) {
        for (let month = 1; month <= 12; month++) {
          const period = `${year}-${String(month).padStart(2, '0')}`;
          const { from, to } = periodBounds(period, rules);
          expect(from < to && periodBounds(nextPeriod(period), rules).from === to).toBe(true);
          const justBefore = new Date(Date.parse(from) - 1).toISOString();
          expect([zone, periodOf(from, rules), periodOf(justBefore, rules)]).toEqual([
            zone,
            period,
            previousPeriod(period),
          ]);
        }
      }
    }
  });

  it('follow each other across a year', () => {
    expect(nextPeriod('2025-12')).toBe('2026-01');
    expect(nextPeriod('2025-09')).toBe('2025-10');
    expect(previousPeriod('2026-01')).toBe('2025-12');
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
      compression: 'none',
      reporting: null,
      periodCaps: {},
      holdingDays: 30,
      minimumPayout: { USD: '25.00' },
      ranks: [],
    });
  });

  it('take an IANA time zone name, and refuse one ICU does not know', () => {
    expect(parse({ timeZone: 'Europe/Berlin' }).rules?.timeZone).toBe('Europe/Berlin');
    expect(parse({ timeZone: 'America/Argentina/Buenos_Aires' }).problems).toEqual([]);
    for (const timeZone of ['Europe/Berlinn', 'Mars/Olympus', '../etc/passwd', 'Europe/', '+25:00', 'utc+2', ''])
      expect([timeZone, parse({ timeZone }).problems.length]).toEqual([timeZone, 1]);
  });

  it('take a reporting currency with the rates the plan fixes, the minimum in it', () => {
    const { rules, problems } = parse({
      activity: {
        minimumPersonalVolume: { USD: '50' },
        reportingCurrency: { currency: 'USD', rates: { JPY: '0.0067', EUR: '1.08' } },
      },
    });
    expect(problems).toEqual([]);
    expect([rules?.minimumPersonalVolume, rules?.reporting]).toEqual([
      { USD: '50.00' },
      { currency: 'USD', rates: { EUR: '1.08', JPY: '0.0067' } },
    ]);
  });

  it('take caps per period by rule and currency, and refuse a rule there is not', () => {
    expect(parse({ periodCaps: { override: { USD: '500' } } }).rules?.periodCaps).toEqual({
      override: { USD: '500.00' },
    });
    expect(parse({ periodCaps: { bonus: { USD: '1' }, renewal: { USD: 'x' } } }).problems).toEqual([
      'periodRules.periodCaps.bonus: must be one of affiliate, directSale, fastStart, override, renewal',
      'periodRules.periodCaps.renewal.USD: must be a plain decimal string such as "12.50"',
    ]);
  });

  it('name every field that is wrong', () => {
    expect(
      parse({
        length: 'week',
        timeZone: 'Europe/Atlantis',
        activity: { minimumPersonalVolume: { XXX: '1', USD: 5 }, compression: 'static' },
        payout: { holdingDays: -1 },
      }).problems,
    ).toEqual([
      'periodRules.length: must be "calendar-month"',
      'periodRules.timeZone: must be "UTC", a fixed offset such as "+02:00", or an IANA time zone name such as "Europe/Berlin"',
      'periodRules.activity.minimumPersonalVolume.USD: must be a decimal string such as "100.00"',
      'periodRules.activity.minimumPersonalVolume.XXX: is not an ISO 4217 currency',
      'periodRules.activity.compression: must be "none" or "dynamic"',
      'periodRules.payout.holdingDays: must be a whole number of days from 0 to 366',
    ]);
  });
});

describe('volume in a reporting currency', () => {
  const reporting = { currency: 'USD', rates: { EUR: '1.08', JPY: '0.0067' } };

  it("converts each currency's volume at the plan's rate, half-even to the reporting currency's minor units", () => {
    // 33.33 EUR × 1.08 = 35.9964 → 36.00; 1,000 JPY × 0.0067 = 6.70; GBP has no rate and counts nothing
    const volumes = new Map([
      ['EUR', 3333n],
      ['JPY', 1000n],
      ['USD', 1000n],
      ['GBP', 5000n],
    ]);
    expect(reportingVolumeOf(volumes, reporting)).toBe(3600n + 670n + 1000n);
  });

  it('qualifies by the sum against the minimum in the reporting currency', () => {
    const rules: PeriodRules = { ...DEFAULT_PERIOD_RULES, minimumPersonalVolume: { USD: '52.70' }, reporting };
    expect(
      qualify(
        new Map([
          ['EUR', 3333n],
          ['JPY', 1000n],
          ['USD', 1000n],
        ]),
        rules,
      ).qualified,
    ).toBe(true);
    expect(
      qualify(
        new Map([
          ['EUR', 3333n],
          ['JPY', 1000n],
          ['USD', 999n],
        ]),
        rules,
      ).qualified,
    ).toBe(false);
  });
});
