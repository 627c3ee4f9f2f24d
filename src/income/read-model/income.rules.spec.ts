// The plan's rule language, folded: products, fixed amounts, steps, durations, override depth,
// caps and fast start. Every figure is worked out by hand in the test's name or beside it.
import { describe, expect, it } from '@jest/globals';
import {
  converted,
  givenUnder,
  network,
  planWith,
  recorded,
  recruited,
  refunded,
  renewed,
  sale,
} from '../../../test/support/ledger-dsl.js';
import { InMemoryLedger } from './income.fold.js';

const rate = (r: string) => ({ rate: r });
const fixed = (amounts: Record<string, string>) => ({ fixed: amounts });
const oneOff = (pays: object) => ({ kind: 'one-off', pays });
const noOverrides = {
  default: {
    sale: { kind: 'residual', pays: [] },
    renewal: { age: 'calendarMonths', steps: [{ from: 0, kind: 'residual', pays: [] }] },
  },
};

describe('per product', () => {
  const plan = planWith({
    directSale: { default: oneOff(rate('0.20')), products: { PRO: oneOff(rate('0.30')) } },
    renewal: {
      default: { age: 'calendarMonths', steps: [{ from: 0, kind: 'residual', pays: rate('0.10') }] },
      products: { PRO: { age: 'calendarMonths', steps: [{ from: 0, kind: 'passive', pays: rate('0.15') }] } },
    },
    override: {
      default: noOverrides.default,
      products: {
        PRO: {
          sale: { kind: 'residual', pays: [rate('0.05')] },
          renewal: { age: 'calendarMonths', steps: [{ from: 0, kind: 'residual', pays: [rate('0.02')] }] },
        },
      },
    },
  });

  it('prices a sale of a listed product by its own entry, with its own override depth', () => {
    const { lines } = givenUnder(plan, network('a <- b <- c')).when(
      sale('S-1', 'c', '100.00 USD', '2025-01-15', null, 'PRO'),
    );
    expect(lines.map((l) => `${l.earnerId} ${l.rule} ${l.amount.toString()} ${l.product}`)).toEqual([
      'c directSale 30.00 PRO', // 100.00 × 0.30
      'b override 5.00 PRO', // one level deep for PRO
    ]);
  });

  it('gives an unknown product, and a sale with none, the default', () =>
    givenUnder(plan, network('a <- b'))
      .when(
        sale('S-1', 'b', '100.00 USD', '2025-01-15', null, 'NOT-LISTED'),
        sale('S-2', 'b', '10.00 USD', '2025-01-15'),
      )
      .then(['b directSale one-off 20.00 USD', 'b directSale one-off 2.00 USD']));

  it("prices a renewal by its subscription's product", () =>
    givenUnder(plan, network('a <- b'), sale('S-1', 'b', '100.00 USD', '2025-01-15', 'SUB-1', 'PRO'))
      .when(renewed('SUB-1', 'R-1', '100.00 USD', '2025-02-15'))
      .then(['b renewal passive 15.00 USD', 'a override residual 2.00 USD g1']));
});

describe('fixed amounts', () => {
  const plan = planWith({ affiliate: { kind: 'passive', pays: fixed({ USD: '5.00', JPY: '700' }) } });

  it('pays the fixed amount in the currencies the rule names, whatever the base', () => {
    const { lines } = givenUnder(plan, recruited('fay', null)).when(
      converted('K-1', 'fay', '19.99 USD', '2025-01-15'),
      converted('K-2', 'fay', '100000 JPY', '2025-01-15'),
    );
    expect(lines.map((l) => [l.amount.toString(), l.currency, l.rate, l.fixedAmount])).toEqual([
      ['5.00', 'USD', null, '5.00'],
      ['700', 'JPY', null, '700'],
    ]);
  });

  it('pays nothing, with a line that says so, in a currency the rule does not name', () => {
    const { lines } = givenUnder(plan, recruited('fay', null)).when(converted('K-1', 'fay', '19.99 EUR', '2025-01-15'));
    expect(lines.map((l) => [l.amount.toString(), l.currency, l.rate, l.fixedAmount])).toEqual([
      ['0.00', 'EUR', null, null],
    ]);
  });
});

describe('steps by age and durations', () => {
  const byRenewals = planWith({
    renewal: {
      default: {
        age: 'renewals',
        steps: [
          { from: 1, kind: 'residual', pays: rate('0.40') },
          { from: 4, kind: 'residual', pays: rate('0.20') },
          { from: 13, kind: 'passive', pays: rate('0.10') },
        ],
      },
    },
    override: noOverrides,
  });

  it('pays renewals 1–3 40%, 4–12 20%, after that 10% passive, counting renewals as folded', () => {
    const renewals = Array.from({ length: 14 }, (_, i) => renewed('SUB-1', `R-${i + 1}`, '10.00 USD', '2025-02-15'));
    const { lines } = givenUnder(byRenewals, network('a'), sale('S-1', 'a', '10.00 USD', '2025-01-15', 'SUB-1')).when(
      ...renewals,
    );
    expect(lines.map((l) => `${l.amount.toString()} ${l.kind} ${l.step}`)).toEqual([
      ...Array<string>(3).fill('4.00 residual renewals 1+'),
      ...Array<string>(9).fill('2.00 residual renewals 4+'),
      ...Array<string>(2).fill('1.00 passive renewals 13+'),
    ]);
  });

  it('pays a recurring rule for N renewals, then nothing', () => {
    const plan = planWith({
      renewal: {
        default: {
          age: 'renewals',
          steps: [{ from: 1, kind: 'residual', pays: rate('0.10') }],
          until: { renewals: 3 },
        },
      },
      override: noOverrides,
    });
    givenUnder(plan, network('a'), sale('S-1', 'a', '10.00 USD', '2025-01-15', 'SUB-1'))
      .when(...['R-1', 'R-2', 'R-3', 'R-4'].map((id) => renewed('SUB-1', id, '10.00 USD', '2025-02-15')))
      .then(['a renewal residual 1.00 USD', 'a renewal residual 1.00 USD']); // renewals 1 and 2; from the 3rd nothing
  });

  it('pays a recurring rule for N calendar months, then nothing', () => {
    const plan = planWith({
      renewal: {
        default: {
          age: 'calendarMonths',
          steps: [{ from: 0, kind: 'residual', pays: rate('0.10') }],
          until: { calendarMonths: 3 },
        },
      },
      override: noOverrides,
    });
    givenUnder(plan, network('a'), sale('S-1', 'a', '10.00 USD', '2025-01-15', 'SUB-1'))
      .when(
        renewed('SUB-1', 'R-1', '10.00 USD', '2025-04-15T09:59:59.999Z'),
        renewed('SUB-1', 'R-2', '10.00 USD', '2025-04-15'),
      )
      .then(['a renewal residual 1.00 USD']);
  });
});

describe('caps', () => {
  const plan = planWith({
    override: noOverrides,
    caps: { default: { perLine: { USD: '15.00' }, perSubscription: { USD: '25.00' }, perCustomer: { USD: '40.00' } } },
  });

  it('cuts a line to the per-line cap and records it', () => {
    const { lines } = givenUnder(plan, network('a')).when(sale('S-1', 'a', '100.00 USD', '2025-01-15'));
    expect(lines.map((l) => [l.amount.toString(), l.cap, l.uncappedAmount?.toString() ?? null])).toEqual([
      ['15.00', 'perLine', '20.00'],
    ]);
  });

  it('cuts the line that reaches the lifetime cap of a subscription, and pays nothing after it', () =>
    // sale 15.00 (cut from 20.00), renewals 10.00 each: 15 + 10 = 25 reaches the 25.00 cap
    givenUnder(plan, network('a'), sale('S-1', 'a', '100.00 USD', '2025-01-15', 'SUB-1'))
      .when(renewed('SUB-1', 'R-1', '100.00 USD', '2025-02-15'), renewed('SUB-1', 'R-2', '100.00 USD', '2025-03-15'))
      .then(['a renewal residual 10.00 USD', 'a renewal residual 0.00 USD capped:perSubscription']));

  it('caps what one earner gets from one customer over all their sales', () =>
    // same customer: 15.00 + 15.00 = 30.00, then 10.00 of the third's 15.00 reaches 40.00
    givenUnder(plan, network('a'))
      .when(
        ...['S-1', 'S-2', 'S-3'].map(
          (id) =>
            ({
              ...sale(id, 'a', '100.00 USD', '2025-01-15'),
              data: { ...sale(id, 'a', '100.00 USD', '2025-01-15').data, customerId: 'C-1' },
            }) as ReturnType<typeof sale>,
        ),
      )
      .then([
        'a directSale one-off 15.00 USD capped:perLine',
        'a directSale one-off 15.00 USD capped:perLine',
        'a directSale one-off 10.00 USD capped:perCustomer',
      ]));

  it('gives back, on a refund, exactly the room under the caps that the refunded lines took', () => {
    const ledger = new InMemoryLedger(plan);
    const events = recorded([
      ...network('a'),
      sale('S-1', 'a', '100.00 USD', '2025-01-15', 'SUB-1'),
      refunded('S-1', 'F-1', '100.00 USD', '2025-01-20'),
      renewed('SUB-1', 'R-1', '100.00 USD', '2025-02-15'),
      renewed('SUB-1', 'R-2', '100.00 USD', '2025-03-15'),
      renewed('SUB-1', 'R-3', '100.00 USD', '2025-04-15'),
    ]);
    const lines = events
      .flatMap((e) => ledger.apply(e).lines)
      .map((l) => `${l.amount.toString()}${l.cap ? ` ${l.cap}` : ''}`);
    // 15.00 then -15.00 back to 0 used; renewals 10 + 10 + 5 (cut) = 25.00
    expect(lines).toEqual(['15.00 perLine', '-15.00 perLine', '10.00', '10.00', '5.00 perSubscription']);
  });
});

describe('fast start', () => {
  const plan = planWith({
    override: noOverrides,
    fastStart: {
      default: {
        withinDays: 30,
        rep: oneOff(rate('0.05')),
        sponsor: { kind: 'residual', pays: fixed({ USD: '10.00' }) },
      },
    },
  });

  it("pays the rep and the sponsor extra on the rep's sales within N days of recruitment, not after", () =>
    givenUnder(plan, recruited('a', null, '2025-01-01'), recruited('b', 'a', '2025-01-01'))
      .when(sale('S-1', 'b', '100.00 USD', '2025-01-30T09:59:59.999Z'), sale('S-2', 'b', '100.00 USD', '2025-01-31'))
      .then([
        'b directSale one-off 20.00 USD',
        'b fastStart one-off 5.00 USD', // 100.00 × 0.05
        'a fastStart residual 10.00 USD g1', // fixed
        'b directSale one-off 20.00 USD', // 30 days after 2025-01-01T10:00 is 2025-01-31T10:00: outside
      ]));
});
