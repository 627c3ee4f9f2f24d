import { describe, expect, it } from '@jest/globals';
import { cancelled, defaultPlan, network, recorded, renewed, sale } from '../../../test/support/ledger-dsl.js';
import { forecastAnswer } from './forecast.answer.js';
import { forecast, forecastSteps } from './forecast.js';
import { LedgerAsOf } from './ledger-as-of.js';

describe('the ledger as of a position', () => {
  const log = recorded([
    ...network('a <- b <- c'),
    sale('S-1', 'c', '20.00 USD', '2025-01-05', 'SUB-1'),
    sale('S-2', 'b', '30.00 EUR', '2025-01-06', 'SUB-2'),
    renewed('SUB-1', 'R1', '20.00 USD', '2025-02-05'),
    renewed('SUB-2', 'R1', '30.00 EUR', '2025-02-06'),
    cancelled('SUB-2', '2025-03-01'),
    sale('S-3', 'a', '10.00 USD', '2025-03-02', 'SUB-3'),
    renewed('SUB-1', 'R2', '25.00 USD', '2025-03-05'),
  ]);
  const options = { horizonMonths: 24, seed: 3, resamples: 20, bandPercent: 80 };
  const foldedFrom = (ledger: LedgerAsOf, events: typeof log) => {
    for (const event of events) ledger.apply(event);
    return ledger;
  };

  it('folded on from a copy of an earlier fold forecasts exactly as a fold from the start', () => {
    const whole = foldedFrom(new LedgerAsOf(defaultPlan()), log);
    const earlier = foldedFrom(new LedgerAsOf(defaultPlan()), log.slice(0, 6));
    const before = JSON.stringify(forecastAnswer(forecast(earlier, { kind: 'programme' }, options)));
    const onwards = foldedFrom(earlier.clone(), log.slice(6));
    for (const scope of [{ kind: 'programme' } as const, { kind: 'person', personId: 'b' } as const]) {
      expect(forecastAnswer(forecast(onwards, scope, options))).toEqual(
        forecastAnswer(forecast(whole, scope, options)),
      );
    }
    // and the earlier fold is untouched by what was folded onto its copy
    expect(JSON.stringify(forecastAnswer(forecast(earlier, { kind: 'programme' }, options)))).toBe(before);
  });

  it('pauses between steps (each resample at least) and ends with the same forecast', () => {
    const whole = foldedFrom(new LedgerAsOf(defaultPlan()), log);
    const steps = forecastSteps(whole, { kind: 'programme' }, options);
    let pauses = 0;
    let step = steps.next();
    for (; step.done !== true; step = steps.next()) pauses += 1;
    expect(pauses).toBeGreaterThanOrEqual(options.resamples);
    expect(forecastAnswer(step.value)).toEqual(forecastAnswer(forecast(whole, { kind: 'programme' }, options)));
  });

  it('prices the next renewal at the last price paid', () => {
    const whole = foldedFrom(new LedgerAsOf(defaultPlan()), log);
    expect(whole.lifecycles.get('SUB-1')).toMatchObject({ renewals: 2, lastAmount: '25.00', cancelledAt: null });
    const c = forecast(whole, { kind: 'person', personId: 'c' }, { ...options, resamples: 0 });
    // hazard: SUB-2 ended after 1 renewal, SUB-1 runs at 2, SUB-3 at 0: 1 ended of 2 + 2 at risk, pooled 0.25;
    // c's first month: 10% of 25.00 × 0.75 = 1.875, half to even 1.88
    expect(c.currencies.map((x) => [x.currency, x.months[0]!.total.toString()])).toEqual([['USD', '1.88']]);
  });

  it('counts the renewals still due before a cancellation dated ahead as certain, and none after it', () => {
    const ledger = foldedFrom(
      new LedgerAsOf(defaultPlan()),
      recorded([
        ...network('a'),
        sale('S-1', 'a', '10.00 USD', '2025-01-10', 'SUB-1'),
        sale('S-2', 'a', '10.00 USD', '2025-01-11', 'SUB-2'),
        cancelled('SUB-2', '2025-01-25'), // ended before a renewal: the hazard is not zero
        cancelled('SUB-1', '2025-04-20'), // renewals on 10 February, March and April still come
      ]),
    );
    const a = forecast(ledger, { kind: 'person', personId: 'a' }, { ...options, resamples: 5 });
    expect(a.currencies[0]!.months.slice(0, 5).map((m) => [m.total.toString(), m.low.toString()])).toEqual([
      ['1.00', '1.00'],
      ['1.00', '1.00'],
      ['1.00', '1.00'],
      ['0.00', '0.00'],
      ['0.00', '0.00'],
    ]);
  });
});
