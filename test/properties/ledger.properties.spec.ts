// Properties of the fold and the read model over generated, valid ledgers.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { RecordedEvent } from '../../src/event-store/event-store.port.js';
import type { LedgerEvent } from '../../src/income/events.js';
import { InMemoryLedger } from '../../src/income/read-model/income.fold.js';
import { history } from '../../src/income/people/history.query.js';
import { incomeTotals, type IncomeTotals } from '../../src/income/people/income-totals.query.js';
import { ReadModel } from '../../src/income/read-model/read-model.js';
import { statementLines } from '../../src/income/statement/statement-lines.query.js';
import { composeStatement } from '../../src/income/statement/statement.js';
import { Money, minorUnitsOf } from '../../src/shared/money.js';
import {
  converted,
  defaultPlan,
  planWith,
  recorded,
  recruited,
  refunded,
  renewed,
  sale,
} from '../support/ledger-dsl.js';
import { loadPlanFile } from '../../src/income/plan/plan-file.js';
import type { Plan } from '../../src/income/plan/plan.js';

/** The plan of the worked example with every rule: products, fixed amounts, steps, caps, fast start. */
const everyRule = (): Plan => loadPlanFile('plans/examples/every-rule.plan.json').plan;

const RECORDED_AT = '2026-01-01T00:00:00.000Z';
const CURRENCIES = ['USD', 'JPY', 'KWD', 'EUR'] as const;

const amountArb = fc
  .record({ currency: fc.constantFrom(...CURRENCIES), units: fc.bigInt({ min: 1n, max: 10n ** 12n }) })
  .map(({ currency, units }) => {
    const minor = units % (10n ** 9n * 10n ** BigInt(minorUnitsOf(currency))) || 1n; // at most 1,000,000,000
    return { currency, text: Money.fromMinorUnits(minor, currency).toString() };
  });

const opArb = fc.oneof(
  fc.record({
    op: fc.constant('sale' as const),
    seller: fc.nat(),
    amount: amountArb,
    subscription: fc.boolean(),
    day: fc.integer({ min: 0, max: 400 }),
    customer: fc.nat(),
    product: fc.constantFrom(null, 'KIT', 'PRO', 'OTHER'),
  }),
  fc.record({
    op: fc.constant('renewal' as const),
    subscription: fc.nat(),
    amount: fc.bigInt({ min: 1n, max: 10n ** 8n }),
    months: fc.integer({ min: 0, max: 30 }),
  }),
  fc.record({
    op: fc.constant('click' as const),
    affiliate: fc.nat(),
    amount: amountArb,
    day: fc.integer({ min: 0, max: 400 }),
  }),
);

/** A valid ledger: a random network, then sales, renewals of earlier subscriptions, and clicks. */
const ledgerArb = fc
  .record({ sponsors: fc.array(fc.nat(), { minLength: 1, maxLength: 15 }), ops: fc.array(opArb, { maxLength: 40 }) })
  .map(({ sponsors, ops }) => {
    const events: LedgerEvent[] = sponsors.map((pick, i) =>
      recruited(`p${i}`, pick % (i + 1) === i ? null : `p${pick % (i + 1)}`),
    );
    const subscriptions: { id: string; currency: string; day: number }[] = [];
    const date = (day: number) => new Date(Date.UTC(2024, 5, 1 + day, 10)).toISOString();
    ops.forEach((op, n) => {
      if (op.op === 'sale') {
        const subscriptionId = op.subscription ? `SUB-${n}` : null;
        const made = sale(
          `S-${n}`,
          `p${op.seller % sponsors.length}`,
          `${op.amount.text} ${op.amount.currency}`,
          date(op.day),
          subscriptionId,
          op.product,
        );
        // a few customers buy again and again, so that lifetime caps per customer come into play
        events.push({ ...made, data: { ...made.data, customerId: `C-${op.customer % 3}` } } as LedgerEvent);
        if (subscriptionId) subscriptions.push({ id: subscriptionId, currency: op.amount.currency, day: op.day });
      } else if (op.op === 'renewal' && subscriptions.length > 0) {
        const s = subscriptions[op.subscription % subscriptions.length]!;
        const amount = Money.fromMinorUnits(op.amount, s.currency).toString();
        events.push(renewed(s.id, `R-${n}`, `${amount} ${s.currency}`, date(s.day + op.months * 31)));
      } else if (op.op === 'click') {
        events.push(
          converted(
            `K-${n}`,
            `p${op.affiliate % sponsors.length}`,
            `${op.amount.text} ${op.amount.currency}`,
            date(op.day),
          ),
        );
      }
    });
    return {
      people: sponsors.map((_, i) => `p${i}`),
      log: recorded(events).map((e): RecordedEvent => ({ ...e, metadata: { recordedAt: RECORDED_AT } })),
    };
  });

function withReadModel<T>(work: (readModel: ReadModel) => T): T {
  const readModel = new ReadModel(':memory:');
  try {
    return work(readModel);
  } finally {
    readModel.close();
  }
}

describe('ledger properties', () => {
  it('the fold is deterministic: the same log gives the same lines', () => {
    fc.assert(
      fc.property(ledgerArb, ({ log }) => {
        const fold = () => {
          const ledger = new InMemoryLedger(defaultPlan());
          log.forEach((e) => ledger.apply(e as never));
          return ledger.lines;
        };
        expect(fold()).toEqual(fold());
      }),
      { numRuns: 50 },
    );
  });

  it("each person's totals are the exact sums of their lines, per currency and kind", () => {
    fc.assert(
      fc.property(ledgerArb, ({ people, log }) =>
        withReadModel((readModel) => {
          readModel.applyBatch(log, defaultPlan());
          for (const person of people) {
            const sums = new Map<string, Money>();
            const lines = history(readModel, person, { limit: 1000 }).lines;
            for (const line of lines) {
              const key = `${line.currency}/${line.kind}`;
              sums.set(key, (sums.get(key) ?? Money.zero(line.currency)).plus(Money.parse(line.amount, line.currency)));
            }
            for (const totals of incomeTotals(readModel, person, {})) {
              const kinds = { residual: totals.residual, passive: totals.passive, 'one-off': totals.oneOff } as const;
              let total = Money.zero(totals.currency);
              for (const [kind, amount] of Object.entries(kinds)) {
                expect(amount).toBe((sums.get(`${totals.currency}/${kind}`) ?? Money.zero(totals.currency)).toString());
                total = total.plus(Money.parse(amount, totals.currency));
              }
              expect(totals.total).toBe(total.toString());
            }
          }
        }),
      ),
      { numRuns: 50 },
    );
  });

  it('the read model holds exactly the lines of the pure fold', () => {
    fc.assert(
      fc.property(ledgerArb, ({ people, log }) =>
        withReadModel((readModel) => {
          readModel.applyBatch(log, defaultPlan());
          const ledger = new InMemoryLedger(defaultPlan());
          log.forEach((e) => ledger.apply(e as never));
          const stored = people.flatMap((p) =>
            history(readModel, p, { limit: 1000 }).lines.map(
              (l) => `${p} ${l.rule} ${l.amount.toString()} ${l.currency} ${l.source.position}`,
            ),
          );
          const folded = ledger.lines.map(
            (l) => `${l.earnerId} ${l.rule} ${l.amount.toString()} ${l.currency} ${l.source.position}`,
          );
          expect(stored.sort()).toEqual(folded.sort());
        }),
      ),
      { numRuns: 50 },
    );
  });

  it.each([
    ['the default plan', defaultPlan],
    ['the plan with every rule', everyRule],
  ])(
    "refunds that add up to a whole sale bring every person's totals back to where they were before it, under %s",
    (_name, planOf) => {
      const plan = planOf();
      fc.assert(
        fc.property(
          ledgerArb,
          fc.nat(),
          amountArb,
          fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 4 }),
          ({ people, log }, seller, amount, weights) => {
            const ledgerEvents = log.map((e) => ({ type: e.type, data: e.data }) as LedgerEvent);
            const whole = Money.of(amount.text, amount.currency);
            const minorTotal = BigInt(whole.toMinorUnits());
            const sum = weights.reduce((a, b) => a + b, 0);
            let given = 0n;
            const parts = weights
              .map((w, i) => {
                const part = i === weights.length - 1 ? minorTotal - given : (minorTotal * BigInt(w)) / BigInt(sum);
                given += part;
                return part;
              })
              .filter((part) => part > 0n);
            const refunds = parts.map((part, i) =>
              refunded(
                'S-P',
                `RF-${i}`,
                `${Money.fromMinorUnits(part, amount.currency).toString()} ${amount.currency}`,
                '2026-01-01',
              ),
            );
            const withSale = recorded([
              ...ledgerEvents,
              sale(
                'S-P',
                people[seller % people.length]!,
                `${amount.text} ${amount.currency}`,
                '2025-12-01',
                null,
                'KIT',
              ),
              ...refunds,
            ]).map((e): RecordedEvent => ({ ...e, metadata: { recordedAt: RECORDED_AT } }));
            const nonZero = (readModel: ReadModel) =>
              people.map((p) =>
                incomeTotals(readModel, p, {}).filter(
                  (t) =>
                    !Money.parse(t.total, t.currency).isZero() ||
                    !Money.parse(t.residual, t.currency).isZero() ||
                    !Money.parse(t.oneOff, t.currency).isZero() ||
                    !Money.parse(t.passive, t.currency).isZero(),
                ),
              );
            const before = withReadModel((readModel) => {
              readModel.applyBatch(log, plan);
              return nonZero(readModel);
            });
            const after = withReadModel((readModel) => {
              readModel.applyBatch(withSale, plan);
              return nonZero(readModel);
            });
            expect(after).toEqual(before);
          },
        ),
        { numRuns: 50 },
      );
    },
  );

  it('a capped earner never gets more than a cap: per line, per subscription or per customer', () => {
    const caps = { perLine: { USD: '30.00' }, perSubscription: { USD: '50.00' }, perCustomer: { USD: '45.00' } };
    const plan = planWith({ caps: { default: caps } });
    fc.assert(
      fc.property(ledgerArb, ({ log }) => {
        const ledger = new InMemoryLedger(plan);
        const scopes = new Map<string, { customer: string; subscription: string | null }>();
        const subscriptions = new Map<string, string>();
        for (const event of log) {
          const e = event as unknown as LedgerEvent;
          if (e.type === 'SaleMade') {
            scopes.set(event.position, { customer: e.data.customerId, subscription: e.data.subscriptionId });
            if (e.data.subscriptionId !== null) subscriptions.set(e.data.subscriptionId, e.data.customerId);
          }
          if (e.type === 'SubscriptionRenewed')
            scopes.set(event.position, {
              customer: subscriptions.get(e.data.subscriptionId)!,
              subscription: e.data.subscriptionId,
            });
          ledger.apply(event as never);
        }
        const sums = new Map<string, Money>();
        const add = (key: string, amount: Money) => sums.set(key, (sums.get(key) ?? Money.zero('USD')).plus(amount));
        for (const line of ledger.lines.filter((l) => l.currency === 'USD')) {
          const amount = line.amount;
          expect(amount.compare(Money.of('30.00', 'USD'))).toBeLessThanOrEqual(0);
          const scope = scopes.get(line.source.position);
          if (scope === undefined) continue; // a conversion: only the per-line cap applies
          add(`customer ${scope.customer} ${line.earnerId}`, amount);
          if (scope.subscription !== null) add(`subscription ${scope.subscription} ${line.earnerId}`, amount);
        }
        for (const [key, sum] of sums)
          expect(`${key} ${sum.compare(Money.of(key.startsWith('customer') ? '45.00' : '50.00', 'USD')) <= 0}`).toBe(
            `${key} true`,
          );
      }),
      { numRuns: 50 },
    );
  });

  it('a rebuild in one pass equals the incremental read model fed in batches with redeliveries', () => {
    fc.assert(
      fc.property(ledgerArb, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }), ({ log }, cuts) => {
        const rebuilt = withReadModel((readModel) => {
          readModel.applyBatch(log, defaultPlan());
          return readModel.contentDigest();
        });
        const incremental = withReadModel((readModel) => {
          let next = 0;
          for (const [size, rewind] of cuts) {
            const from = Math.max(0, next - (rewind % 4)); // a redelivery repeats up to 3 events
            const to = Math.min(log.length, from + 1 + (size % 8));
            readModel.applyBatch(log.slice(from, to), defaultPlan());
            next = Math.max(next, to);
          }
          readModel.applyBatch(log.slice(Math.max(0, next - 2)), defaultPlan());
          return readModel.contentDigest();
        });
        expect(incremental).toBe(rebuilt);
      }),
      { numRuns: 50 },
    );
  });
});

describe('statement properties', () => {
  // boundaries at the same hour as the facts, so lines on a boundary are common
  const instant = (day: number) => new Date(Date.UTC(2024, 5, 1 + day, 10)).toISOString();

  it('a statement splits the totals exactly: opening is everything before the period, closing everything before its end', () => {
    fc.assert(
      fc.property(ledgerArb, fc.nat(), fc.nat(), ({ people, log }, a, b) =>
        withReadModel((readModel) => {
          readModel.applyBatch(log, defaultPlan());
          // period boundaries on the business times of lines, so lines on a boundary are tested
          const times = people
            .flatMap((p) => history(readModel, p, { limit: 1000 }).lines.map((l) => l.occurredAt))
            .sort();
          const [from, to] =
            times.length === 0 ? [instant(0), instant(1)] : [times[a % times.length]!, times[b % times.length]!].sort();
          const period = { from: from!, to: to === from ? instant(1400) : to! };
          for (const person of people) {
            const found = statementLines(readModel, person, period, undefined, 10_000);
            const s = composeStatement({
              personId: person,
              personName: null,
              period,
              asOf: null,
              position: null,
              source,
              opening: found.opening,
              lines: found.lines,
            });
            expect(s.opening).toEqual(withZeroRows(incomeTotals(readModel, person, { to: period.from }), s.opening));
            expect(s.closing).toEqual(withZeroRows(incomeTotals(readModel, person, { to: period.to }), s.closing));
          }
        }),
      ),
      { numRuns: 60 },
    );
  });

  it('a statement as of a position equals the statement of a read model that had folded only up to it', () => {
    fc.assert(
      fc.property(ledgerArb, fc.nat(), ({ people, log }, cut) => {
        const upTo = log[cut % log.length]!.position;
        const period = { from: instant(0), to: instant(1400) };
        const statements = (readModel: ReadModel, asOf?: { position: string }) =>
          people.map((person) => {
            const found = statementLines(readModel, person, period, asOf, 10_000);
            return composeStatement({
              personId: person,
              personName: null,
              period,
              asOf: null,
              position: null,
              source,
              opening: found.opening,
              lines: found.lines,
            });
          });
        const asOfThen = withReadModel((full) => {
          full.applyBatch(log, defaultPlan());
          return statements(full, { position: upTo });
        });
        const foldedThen = withReadModel((prefix) => {
          prefix.applyBatch(log.slice(0, (cut % log.length) + 1), defaultPlan());
          return statements(prefix);
        });
        expect(asOfThen).toEqual(foldedThen);
      }),
      { numRuns: 60 },
    );
  });
});

const source = { generation: 1, planFingerprint: 'property', refolded: false };

/** Totals of the read model leave out currencies with no lines; a statement shows them with zeros when another balance has them. */
function withZeroRows(totals: IncomeTotals[], shape: readonly IncomeTotals[]): IncomeTotals[] {
  return shape.map((row) => totals.find((t) => t.currency === row.currency) ?? zeroRow(row.currency));
}

function zeroRow(currency: string): IncomeTotals {
  const zero = Money.zero(currency).toString();
  return { currency, residual: zero, passive: zero, oneOff: zero, total: zero };
}
