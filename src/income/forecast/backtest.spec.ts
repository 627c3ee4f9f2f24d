import { describe, expect, it } from '@jest/globals';
import { cancelled, defaultPlan, network, recorded, renewed, sale } from '../../../test/support/ledger-dsl.js';
import { backtest } from './backtest.js';

describe('the backtest of forecasts against what the ledger then recorded', () => {
  // Given rep a with two 10.00 USD subscriptions sold on 1 January (a earns 10%, 1.00, on each renewal):
  // SUB-2 is cancelled before its first renewal, SUB-1 renews on 1 February and 1 March. As of 1 March the
  // hazard is 1 ended of 3 at risk (2 at age 1, 1 at age 2), pooled: 1/3; a's forecast for month j is
  // 1.00 × (2/3)^j: 0.67, 0.44, 0.30, 0.20, 0.13, 0.09, 0.06, 0.04, 0.03, 0.02, 0.01, 0.01 (2.00 in all).
  // Then SUB-1 renews on 1 April and 1 May and is cancelled: actually 1.00, 1.00, then nothing.
  const log = recorded([
    ...network('a'),
    sale('S-1', 'a', '10.00 USD', '2025-01-01', 'SUB-1'),
    sale('S-2', 'a', '10.00 USD', '2025-01-01', 'SUB-2'),
    cancelled('SUB-2', '2025-01-20'),
    renewed('SUB-1', 'R1', '10.00 USD', '2025-02-01'),
    renewed('SUB-1', 'R2', '10.00 USD', '2025-03-01'),
    renewed('SUB-1', 'R3', '10.00 USD', '2025-04-01'),
    renewed('SUB-1', 'R4', '10.00 USD', '2025-05-01'),
    cancelled('SUB-1', '2025-05-15'),
  ]);

  it('gives the weighted MAPE of the forecast and of "next month equals this month", per person and in total', () => {
    const [row, ...others] = backtest(log, defaultPlan(), ['2025-03-01T12:00:00.000Z']);
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      asOfTime: '2025-03-01T10:00:00.000Z',
      currency: 'USD',
      people: 1,
      actual: '2.00',
      forecast: '2.00',
      baseline: '12.00',
    });
    // forecast: |1.00 − 0.67| + |1.00 − 0.44| + (0.30 + … + 0.01 = 0.89) = 1.78 cents-wise over 2.00 actual
    expect(row!.perPerson.forecast).toEqual({ absoluteError: 178n, actual: 200n, wmape: 0.89 });
    // baseline: this month (1 March's renewal, 1.00) every month: 0 + 0 + 10 × 1.00 over 2.00
    expect(row!.perPerson.baseline).toEqual({ absoluteError: 1000n, actual: 200n, wmape: 5 });
    expect(row!.total).toEqual(row!.perPerson); // one person: the programme is a
  });

  it('makes no comparison for a cut-off before the log starts', () => {
    expect(backtest(log, defaultPlan(), ['2020-01-01T00:00:00.000Z'])).toEqual([]);
  });
});
