// Properties of sealing periods one after the other: nothing created, nothing lost.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { SealedStatement } from '../events.js';
import { DEFAULT_PERIOD_RULES, type PeriodRules } from '../plan/period-rules.js';
import { amountOf, minorOf, type PayLine } from './period-figures.js';
import { saleLine } from './pay-line.spec-support.js';
import { periodBounds, periodOf } from './period.js';
import { Sealer, type EarlierCloses } from './seal.js';

const RULES: PeriodRules = {
  ...DEFAULT_PERIOD_RULES,
  minimumPersonalVolume: { USD: '50.00' },
  holdingDays: 10,
  minimumPayout: { USD: '25.00', JPY: '3000' },
};
const PEOPLE = ['a', 'b', 'c', 'd'];
const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];

interface Fact {
  earner: string;
  override: boolean;
  currency: 'USD' | 'JPY';
  base: bigint;
  month: number;
  day: number;
}

const factArb = fc.record({
  earner: fc.constantFrom(...PEOPLE),
  override: fc.boolean(),
  currency: fc.constantFrom('USD' as const, 'JPY' as const),
  base: fc.bigInt({ min: -3_000n, max: 12_000n }),
  month: fc.integer({ min: 0, max: MONTHS.length - 1 }),
  day: fc.integer({ min: 1, max: 28 }),
});

/** A fact priced at a rate in percent (the plan of the moment), as the fold would give it. */
function line(fact: Fact, position: number, ratePercent: bigint): PayLine {
  const at = `${MONTHS[fact.month]}-${String(fact.day).padStart(2, '0')}T10:00:00.000Z`;
  return saleLine(
    {
      earnerId: fact.earner,
      rule: fact.override ? 'override' : 'directSale',
      kind: fact.override ? 'residual' : 'one-off',
      amount: amountOf((fact.base * ratePercent) / 100n, fact.currency),
      currency: fact.currency,
      baseAmount: amountOf(fact.base, fact.currency),
      rate: '0.10',
      level: fact.override ? 1 : null,
    },
    position,
    at,
  );
}

describe('sealing periods in order', () => {
  it('closes with everything earned and adjusted, and splits it into paid, held, carried and payable', () => {
    fc.assert(
      fc.property(
        fc.array(factArb, { minLength: 1, maxLength: 40 }),
        fc.array(
          fc.record({
            known: fc.nat(),
            rate: fc.constantFrom(10n, 20n, 25n),
            held: fc.subarray(PEOPLE),
            forfeits: fc.subarray(PEOPLE),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 0, max: 2 }),
        (facts, schedule, firstMonth) => {
          const sealed: { period: string; asOf: string; statements: SealedStatement[]; rate: bigint }[] = [];
          let known = 0;
          schedule.forEach(({ known: more, rate, held, forfeits }, k) => {
            const month = firstMonth + k;
            if (month >= MONTHS.length) return;
            known = Math.min(facts.length, known + (more % 10));
            const bounds = periodBounds(MONTHS[month]!, RULES);
            const lines = facts.slice(0, known).map((f, i) => line(f, i + 1, rate));
            const sealer = new Sealer({
              bounds,
              calendar: RULES,
              rules: RULES,
              planFingerprint: `p${rate}`,
              earlier: earlierOf(sealed),
              holds: { isHeld: (p) => held.includes(p), forfeits: (p) => forfeits.includes(p) },
            });
            // with no upline to roll up to, dynamic compression must seal exactly the same statements
            const compressing = new Sealer({
              bounds,
              calendar: RULES,
              rules: { ...RULES, compression: 'dynamic' },
              planFingerprint: `p${rate}`,
              earlier: earlierOf(sealed),
              holds: { isHeld: (p) => held.includes(p), forfeits: (p) => forfeits.includes(p) },
              compression: { compressedIn: () => true, sponsorOf: () => null },
            });
            for (const l of lines) if (l.occurredAt < bounds.to) [sealer, compressing].forEach((x) => x.add(l));
            const statements = sealer.statements();
            expect(compressing.statements()).toEqual(statements);
            sealed.push({ period: bounds.period, asOf: String(known), statements, rate });
            for (const s of statements) {
              const m = (amount: string) => minorOf(amount, s.currency);
              expect(m(s.closing)).toBe(expected(lines, s, sealed, bounds.to));
              // nothing created, nothing lost: paid + forfeited + held + carried + payable = closing
              const parts = [s.paidBefore, s.forfeited, s.heldForRefundWindow, s.held, s.carried, s.payable];
              expect(parts.reduce((sum, a) => sum + m(a), 0n)).toBe(m(s.closing));
              expect(m(s.payable) === 0n || m(s.payable) >= m(RULES.minimumPayout[s.currency]!)).toBe(true);
              expect([s.payable, s.held, s.heldForRefundWindow].every((a) => m(a) >= 0n)).toBe(true);
              if (held.includes(s.personId)) expect(m(s.payable)).toBe(0n);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Every line dated before the period's end, but the overrides of reps unqualified in a closed period of them. */
function expected(
  lines: PayLine[],
  s: SealedStatement,
  sealed: { period: string; statements: SealedStatement[] }[],
  to: string,
): bigint {
  const first = sealed[0]!.period;
  return lines
    .filter((l) => l.earnerId === s.personId && l.currency === s.currency && l.occurredAt < to)
    .filter((l) => {
      const period = periodOf(l.occurredAt, RULES);
      if (l.rule !== 'override' || period < first) return true;
      return sealed.find((p) => p.period === period)!.statements.some((x) => x.personId === l.earnerId && x.qualified);
    })
    .reduce((sum, l) => sum + l.amount.minorUnits, 0n);
}

function earlierOf(
  sealed: { period: string; asOf: string; statements: SealedStatement[]; rate: bigint }[],
): EarlierCloses {
  const last = sealed[sealed.length - 1];
  if (last === undefined) return { first: null, last: null, qualifiedIn: () => true };
  return {
    first: sealed[0]!.period,
    last: {
      period: last.period,
      asOfPosition: last.asOf === '0' ? null : last.asOf,
      planFingerprint: `p${last.rate}`,
      statement: (personId, currency) =>
        last.statements.find((x) => x.personId === personId && x.currency === currency),
      keys: () => last.statements.map((s) => [s.personId, s.currency] as const),
    },
    qualifiedIn: (period, personId) =>
      sealed.find((p) => p.period === period)!.statements.some((x) => x.personId === personId && x.qualified),
  };
}

describe('sealing periods in order under caps per period', () => {
  const CAPPED: PeriodRules = {
    ...RULES,
    periodCaps: { directSale: { USD: '5.00' }, override: { JPY: '100', USD: '2.00' } },
  };

  it('closes with everything earned and adjusted less what the caps cut, and splits it whole', () => {
    fc.assert(
      fc.property(
        fc.array(factArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.record({ known: fc.nat(), rate: fc.constantFrom(10n, 20n, 25n) }), { minLength: 1, maxLength: 4 }),
        (facts, schedule) => {
          const sealed: { period: string; asOf: string; statements: SealedStatement[]; rate: bigint }[] = [];
          let known = 0;
          schedule.forEach(({ known: more, rate }, month) => {
            known = Math.min(facts.length, known + (more % 10));
            const bounds = periodBounds(MONTHS[month]!, CAPPED);
            const lines = facts.slice(0, known).map((f, i) => line(f, i + 1, rate));
            const earlier = earlierOf(sealed);
            const sealer = new Sealer({
              bounds,
              calendar: CAPPED,
              rules: CAPPED,
              planFingerprint: `p${rate}`,
              earlier: { ...earlier, cutsOf: (personId, currency) => cutsBy(sealed, personId, currency) },
              holds: { isHeld: () => false, forfeits: () => false },
            });
            for (const l of lines) if (l.occurredAt < bounds.to) sealer.add(l);
            const statements = sealer.statements();
            sealed.push({ period: bounds.period, asOf: String(known), statements, rate });
            for (const s of statements) {
              const m = (amount: string) => minorOf(amount, s.currency);
              const cut = cutsBy(sealed, s.personId, s.currency);
              expect(m(s.closing)).toBe(expected(lines, s, sealed, bounds.to) - cut);
              const parts = [s.paidBefore, s.forfeited, s.heldForRefundWindow, s.held, s.carried, s.payable];
              expect(parts.reduce((sum, a) => sum + m(a), 0n)).toBe(m(s.closing));
              // each cut is what the rule's counted lines of the period have over its cap
              const mine = lines.filter((l) => l.earnerId === s.personId && l.currency === s.currency);
              const inPeriod = mine.filter((l) => l.occurredAt >= bounds.from && l.occurredAt < bounds.to);
              for (const [rule, caps] of Object.entries(CAPPED.periodCaps)) {
                if (caps[s.currency] === undefined) continue;
                const counted = inPeriod
                  .filter((l) => l.rule === rule && (rule !== 'override' || s.qualified))
                  .reduce((sum, l) => sum + l.amount.minorUnits, 0n);
                const over = counted - m(caps[s.currency]!);
                const cut = s.capped!.find((c) => c.rule === rule)?.cut ?? amountOf(0n, s.currency);
                expect(cut).toBe(amountOf(over > 0n ? over : 0n, s.currency));
              }
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** What the caps cut from a person's lines in every period sealed so far. */
function cutsBy(sealed: { statements: SealedStatement[] }[], personId: string, currency: string): bigint {
  return sealed
    .flatMap((p) => p.statements.filter((s) => s.personId === personId && s.currency === currency))
    .flatMap((s) => s.capped ?? [])
    .reduce((sum, c) => sum + minorOf(c.cut, currency), 0n);
}
