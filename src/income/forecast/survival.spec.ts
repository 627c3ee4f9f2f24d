import { describe, expect, it } from '@jest/globals';
import { cancelled, defaultPlan, network, recorded, renewed, sale } from '../../../test/support/ledger-dsl.js';
import { LedgerAsOf, lifetimeOf } from './ledger-as-of.js';
import { conditionalSurvival, kaplanMeier, type Lifetime } from './survival.js';

const ended = (renewals: number): Lifetime => ({ product: 'p', renewals, ended: true });
const running = (renewals: number): Lifetime => ({ product: 'p', renewals, ended: false });

describe('Kaplan–Meier survival of subscriptions by age in months', () => {
  // Given seven subscriptions: four ended after 1, 2, 2 and 4 renewals, three still running after 1, 3 and 5.
  // By hand: at age m, at risk = ended with ≥ m−1 renewals + running with ≥ m; ended = those with exactly m−1.
  //   m=1: 4+3 = 7 at risk, 0 ended, S = 1
  //   m=2: 4+2 = 6, 1 ended, S = 5/6
  //   m=3: 3+2 = 5, 2 ended, S = 5/6 × 3/5 = 1/2
  //   m=4: 1+1 = 2, 0 ended, S = 1/2
  //   m=5: 1+1 = 2, 1 ended, S = 1/4; nobody is observed at age 6
  const sample = [ended(1), ended(2), ended(2), ended(4), running(1), running(3), running(5)];

  it('counts the at-risk and ended behind each point, the running ones censored where they are', () => {
    const curve = kaplanMeier('p', sample);
    expect(curve.points.map(({ age, atRisk, ended }) => [age, atRisk, ended])).toEqual([
      [1, 7, 0],
      [2, 6, 1],
      [3, 5, 2],
      [4, 2, 0],
      [5, 2, 1],
    ]);
    expect(curve.points.map((p) => p.survival)).toEqual([1, 5 / 6, (5 / 6) * (3 / 5), (5 / 6) * (3 / 5), 0.25]);
    expect(curve.subscriptions).toBe(7);
  });

  it('pools the hazard where fewer than ten are at risk, and past the oldest age observed', () => {
    const curve = kaplanMeier('p', sample);
    expect(curve.tailHazard).toBe(4 / 22); // 4 ended over 7+6+5+2+2 at risk
    // a subscription that has paid 3 renewals pays its 4th and 5th with (1 − 4/22) each
    const [fourth, fifth] = conditionalSurvival(curve, 3, 2);
    expect(fourth).toBeCloseTo(18 / 22, 12);
    expect(fifth).toBeCloseTo((18 / 22) ** 2, 12);
  });

  it('uses the age’s own hazard where ten or more are at risk', () => {
    const many = [...Array.from({ length: 8 }, () => ended(0)), ...Array.from({ length: 12 }, () => running(2))];
    const curve = kaplanMeier('p', many);
    expect(curve.points[0]).toEqual({ age: 1, atRisk: 20, ended: 8, survival: 0.6 });
    expect(conditionalSurvival(curve, 0, 1)).toEqual([0.6]);
  });

  it('has nothing to say of an empty ledger: no points, no hazard', () => {
    expect(kaplanMeier('p', [])).toMatchObject({ points: [], tailHazard: 0, subscriptions: 0 });
  });
});

describe('what the ledger knows of a subscription’s lifetime at the as-of time', () => {
  const ledgerOf = (...events: Parameters<typeof recorded>[0]) => {
    const ledger = new LedgerAsOf(defaultPlan());
    for (const event of recorded(events)) ledger.apply(event);
    return ledger;
  };

  it('ends a cancelled one after the renewals dated before its cancellation, even one dated ahead', () => {
    const ledger = ledgerOf(
      ...network('a'),
      sale('S-1', 'a', '10.00 USD', '2025-01-10', 'SUB-1'),
      renewed('SUB-1', 'R1', '10.00 USD', '2025-02-10'),
      cancelled('SUB-1', '2025-04-20'),
    );
    expect(ledger.asOfTime).toBe('2025-02-10T10:00:00.000Z'); // the cancellation is not business done yet
    expect(lifetimeOf(ledger.lifecycles.get('SUB-1')!, ledger.asOfTime)).toEqual({
      product: '(all)',
      renewals: 3, // 10 Feb paid; 10 Mar and 10 Apr still due before the 20 April cancellation
      ended: true,
    });
  });

  it('counts one that missed two renewals as lapsed, and one that missed one as running', () => {
    const ledger = ledgerOf(
      ...network('a'),
      sale('S-1', 'a', '10.00 USD', '2025-01-10', 'SUB-1'),
      sale('S-2', 'a', '10.00 USD', '2025-02-10', 'SUB-2'),
      sale('S-3', 'a', '10.00 USD', '2025-04-10', 'SUB-3'),
    );
    const at = (id: string) => lifetimeOf(ledger.lifecycles.get(id)!, ledger.asOfTime);
    expect(at('SUB-1')).toEqual({ product: '(all)', renewals: 0, ended: true }); // 3 due, none paid
    expect(at('SUB-2')).toEqual({ product: '(all)', renewals: 0, ended: true }); // 2 due
    expect(at('SUB-3')).toEqual({ product: '(all)', renewals: 0, ended: false }); // none due yet
  });
});
