import { describe, expect, it } from '@jest/globals';
import {
  cancelled,
  converted,
  given,
  network,
  recorded,
  recruited,
  refunded,
  renewed,
  sale,
  defaultPlan,
} from '../../../test/support/ledger-dsl.js';
import { InMemoryLedger } from './income.fold.js';

describe('income fold', () => {
  it('pays the seller one-off income and three levels of residual overrides on a sale', () =>
    given(network('a <- b <- c <- d <- e'))
      .when(sale('S-1', 'e', '100.00 USD', '2025-01-15'))
      .then([
        'e directSale one-off 20.00 USD',
        'd override residual 5.00 USD g1',
        'c override residual 3.00 USD g2',
        'b override residual 2.00 USD g3',
      ]));

  it('pays the same on the first payment of a subscription sale', () =>
    given(network('a <- b'))
      .when(sale('S-1', 'b', '100.00 USD', '2025-01-15', 'SUB-1'))
      .then(['b directSale one-off 20.00 USD', 'a override residual 5.00 USD g1']));

  it('pays nobody for a missing upline level', () =>
    given(network('root'))
      .when(sale('S-1', 'root', '100.00 USD', '2025-01-15'))
      .then(['root directSale one-off 20.00 USD']));

  it('pays the owner and the upline residual income on a renewal', () =>
    given(network('a <- b <- c <- d'), sale('S-1', 'd', '100.00 USD', '2025-01-15', 'SUB-1'))
      .when(renewed('SUB-1', 'R-1', '100.00 USD', '2025-02-15'))
      .then([
        'd renewal residual 10.00 USD',
        'c override residual 5.00 USD g1',
        'b override residual 3.00 USD g2',
        'a override residual 2.00 USD g3',
      ]));

  it('turns renewal income passive from 12 calendar months after the sale', () =>
    given(network('a <- b'), sale('S-1', 'b', '100.00 USD', '2025-01-15', 'SUB-1'))
      .when(renewed('SUB-1', 'R-12', '100.00 USD', '2026-01-15T10:00:00Z'))
      .then(['b renewal passive 10.00 USD', 'a override passive 5.00 USD g1']));

  it('keeps renewal income residual one millisecond before the 12 months are up', () =>
    given(network('a <- b'), sale('S-1', 'b', '100.00 USD', '2025-01-15', 'SUB-1'))
      .when(renewed('SUB-1', 'R-11', '100.00 USD', '2026-01-15T09:59:59.999Z'))
      .then(['b renewal residual 10.00 USD', 'a override residual 5.00 USD g1']));

  it('counts calendar months, a day missing from the target month becoming its last day', () =>
    given(network('a'), sale('S-1', 'a', '10.00 USD', '2024-02-29', 'SUB-1'))
      .when(renewed('SUB-1', 'R-1', '10.00 USD', '2025-02-27'), renewed('SUB-1', 'R-2', '10.00 USD', '2025-02-28'))
      .then(['a renewal residual 1.00 USD', 'a renewal passive 1.00 USD']));

  it('pays affiliates passive income on a converted click', () =>
    given(recruited('aff', null))
      .when(converted('K-1', 'aff', '19.99 EUR', '2025-03-04'))
      .then(['aff affiliate passive 1.60 EUR']));

  it('rounds each line half to even to the currency minor units', () =>
    given(network('a <- b <- c <- d'))
      .when(
        sale('S-USD', 'd', '12.50 USD', '2025-03-01'),
        sale('S-JPY', 'c', '1250 JPY', '2025-03-02'),
        sale('S-KWD', 'd', '10.125 KWD', '2025-03-03'),
      )
      .then([
        'd directSale one-off 2.50 USD',
        'c override residual 0.62 USD g1', // 0.625 → 0.62
        'b override residual 0.38 USD g2', // 0.375 → 0.38
        'a override residual 0.25 USD g3',
        'c directSale one-off 250 JPY',
        'b override residual 62 JPY g1', // 62.5 → 62
        'a override residual 38 JPY g2', // 37.5 → 38
        'd directSale one-off 2.025 KWD',
        'c override residual 0.506 KWD g1', // 0.50625 → 0.506
        'b override residual 0.304 KWD g2', // 0.30375 → 0.304
        'a override residual 0.202 KWD g3', // 0.2025 → 0.202
      ]));

  it('answers a full refund with a reversing line for every line of the sale, dated at the refund', () => {
    const { lines } = given(network('a <- b <- c <- d <- e'), sale('S-1', 'e', '100.00 USD', '2025-01-15')).when(
      refunded('S-1', 'RF-1', '100.00 USD', '2025-02-01'),
    );
    expect(
      lines.map(
        (l) =>
          `${l.earnerId} ${l.rule} ${l.kind} ${l.amount.toString()} g${l.level} base ${l.baseAmount.toString()} at ${l.occurredAt.slice(0, 10)}`,
      ),
    ).toEqual([
      'e directSale one-off -20.00 gnull base -100.00 at 2025-02-01',
      'd override residual -5.00 g1 base -100.00 at 2025-02-01',
      'c override residual -3.00 g2 base -100.00 at 2025-02-01',
      'b override residual -2.00 g3 base -100.00 at 2025-02-01',
    ]);
  });

  it('reverses partial refunds in proportion, and the last one exactly what is left', () =>
    given(
      network('a <- b'),
      sale('S-1', 'b', '49.99 USD', '2025-01-15'),
      refunded('S-1', 'RF-1', '10.00 USD', '2025-02-01'),
    )
      .when(refunded('S-1', 'RF-2', '39.99 USD', '2025-02-02'))
      // lines 10.00 and 2.50; the first refund reversed 2.00 and 0.50 (10.00 × 10/49.99 = 2.0004, 2.50 × 10/49.99 = 0.5001)
      .then(['b directSale one-off -8.00 USD', 'a override residual -2.00 USD g1']));

  it('keeps the original plan version and rate on reversing lines', () => {
    const { lines } = given(network('a <- b'), sale('S-1', 'b', '10.00 USD', '2025-01-15')).when(
      refunded('S-1', 'RF-1', '5.00 USD', '2025-02-01'),
    );
    expect(lines.map((l) => [l.rate, l.planVersion, l.source.eventType])).toEqual([
      ['0.20', '2026.1', 'SaleRefunded'],
      ['0.05', '2026.1', 'SaleRefunded'],
    ]);
  });

  it('pays nothing and reverses nothing on a cancellation', () =>
    given(network('a'), sale('S-1', 'a', '10.00 USD', '2025-01-15', 'SUB-1'))
      .when(cancelled('SUB-1', '2025-03-01'))
      .then([]));

  it('records the plan version and the source event on every line', () => {
    const { lines } = given(network('a <- b')).when(sale('S-1', 'b', '10.00 USD', '2025-01-15'));
    expect(
      lines.map((l) => [l.planVersion, l.source.eventType, l.source.stream, l.source.revision, l.source.position]),
    ).toEqual([
      ['2026.1', 'SaleMade', 'sale-S-1', 0, '3'],
      ['2026.1', 'SaleMade', 'sale-S-1', 0, '3'],
    ]);
  });

  it('folds the same log to the same lines every time', () => {
    const log = recorded([
      ...network('a <- b <- c'),
      sale('S-1', 'c', '33.33 USD', '2025-01-01', 'SUB-1'),
      renewed('SUB-1', 'R-1', '33.33 USD', '2026-02-01'),
    ]);
    const fold = () => {
      const ledger = new InMemoryLedger(defaultPlan());
      log.forEach((e) => ledger.apply(e));
      return ledger.lines;
    };
    expect(fold()).toEqual(fold());
  });
});
