import { describe, expect, it } from '@jest/globals';
import type { PeriodClosedData } from '../../events.js';
import { DEFAULT_PERIOD_RULES } from '../../plan/period-rules.js';
import { periodBounds } from '../period.js';
import { decideClosePeriod } from './close-period.decider.js';

const closed = (period: string) => ({ period }) as PeriodClosedData;
const close = (period: string, now: string) => ({
  bounds: periodBounds(period, DEFAULT_PERIOD_RULES),
  operator: 'ops',
  now,
});

describe('closing a period', () => {
  it('closes the first period once it has ended', () => {
    expect(decideClosePeriod(close('2025-03', '2025-04-01T00:00:00.000Z'), [])).toEqual({ kind: 'close' });
  });

  it('refuses a period that has not ended yet', () => {
    expect(() => decideClosePeriod(close('2025-03', '2025-03-31T23:59:59.999Z'), [])).toThrow(
      expect.objectContaining({ code: 'PERIOD_NOT_ENDED' }),
    );
  });

  it('decides nothing for a period closed already', () => {
    expect(decideClosePeriod(close('2025-03', '2026-01-01T00:00:00.000Z'), [closed('2025-03')])).toEqual({
      kind: 'closed-already',
      index: 0,
    });
  });

  it('closes periods in order only, across a year', () => {
    const history = [closed('2025-11'), closed('2025-12')];
    expect(decideClosePeriod(close('2026-01', '2026-02-01T00:00:00.000Z'), history)).toEqual({ kind: 'close' });
    for (const period of ['2026-02', '2025-10'])
      expect(() => decideClosePeriod(close(period, '2027-01-01T00:00:00.000Z'), history)).toThrow(
        expect.objectContaining({ code: 'PERIOD_NOT_NEXT' }),
      );
  });
});
