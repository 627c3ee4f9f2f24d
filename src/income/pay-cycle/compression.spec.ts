// Dynamic compression of one event's overrides, as properties over random upline chains.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Money } from '../../shared/money.js';
import { compressOverrides } from './compression.js';
import type { PayLine } from './period-figures.js';

const RATES = ['0.05', '0.03', '0.02'];
const AMOUNTS = ['5.00', '3.00', '2.00']; // of a 100.00 sale

/** The fold's override lines of one sale: the first uplines of the chain, one per priced level. */
function foldLines(chain: readonly string[]): PayLine[] {
  return chain.slice(0, RATES.length).map((earnerId, i) => ({
    earnerId,
    rule: 'override',
    kind: 'residual',
    amount: Money.parse(AMOUNTS[i]!, 'USD'),
    currency: 'USD',
    baseAmount: Money.parse('100.00', 'USD'),
    fixedAmount: null,
    product: null,
    step: null,
    cap: null,
    uncappedAmount: null,
    rate: RATES[i]!,
    level: i + 1,
    planVersion: 'v',
    occurredAt: '2025-06-01T10:00:00.000Z',
    recordedAt: '2025-06-01T10:00:00.000Z',
    source: { eventId: 'e1', eventType: 'SaleMade', stream: 'sale-S-1', revision: 0, position: '7' },
  }));
}

/** A chain of uplines u1 (the seller's sponsor) to the root, and who of them is qualified. */
const chainArb = fc
  .array(fc.boolean(), { minLength: 1, maxLength: 8 })
  .map((qualified) => ({ chain: qualified.map((_, i) => `u${i + 1}`), qualified }));

function contextOf({ chain, qualified }: { chain: string[]; qualified: boolean[] }) {
  return {
    isQualified: (personId: string) => qualified[chain.indexOf(personId)]!,
    sponsorOf: (personId: string) => chain[chain.indexOf(personId) + 1] ?? null,
  };
}

describe('dynamic compression of an override', () => {
  it('changes nothing when every upline is qualified', () => {
    fc.assert(
      fc.property(chainArb, ({ chain }) => {
        const lines = foldLines(chain);
        const paid = compressOverrides(lines, contextOf({ chain, qualified: chain.map(() => true) }));
        expect(paid.map(({ level, paidLevel, ...line }) => [level, paidLevel, line])).toEqual(
          lines.map(({ level, ...line }) => [level, level, line]),
        );
      }),
    );
  });

  it('pays the qualified uplines nearest the seller, in order, each at the rate of the level it is paid at', () => {
    fc.assert(
      fc.property(chainArb, (tree) => {
        const paid = compressOverrides(foldLines(tree.chain), contextOf(tree));
        const qualifiedUplines = tree.chain.filter((_, i) => tree.qualified[i]);
        const levels = Math.min(RATES.length, tree.chain.length);
        expect(paid.map((p) => p.earnerId)).toEqual(qualifiedUplines.slice(0, levels));
        paid.forEach((p, i) => {
          expect([p.paidLevel, p.rate, p.amount.toString()]).toEqual([i + 1, RATES[i], AMOUNTS[i]]);
          expect(p.level).toBe(tree.chain.indexOf(p.earnerId) + 1);
        });
      }),
    );
  });

  it('rolls an override past the levels the fold priced, up the genealogy (ana at level 4 is paid level 2)', () => {
    const tree = { chain: ['dan', 'cleo', 'ben', 'ana'], qualified: [false, true, false, true] };
    const paid = compressOverrides(foldLines(tree.chain), contextOf(tree));
    expect(paid.map((p) => `${p.earnerId} ${p.level} ${p.paidLevel} ${p.amount.toString()}`)).toEqual([
      'cleo 2 1 5.00',
      'ana 4 2 3.00',
    ]);
  });

  it('pays nobody when no upline is qualified', () => {
    const tree = { chain: ['a', 'b'], qualified: [false, false] };
    expect(compressOverrides(foldLines(tree.chain), contextOf(tree))).toEqual([]);
  });
});
