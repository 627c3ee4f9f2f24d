// Dynamic compression over a real tree, as a property over HTTP: random genealogies (up to 8 levels deep,
// branching), random sales per rep in June 2025, under plans/compression-example.plan.json (20% on a sale,
// overrides 5/3/2%, 50.00 USD of own sales to qualify, unqualified uplines skipped). The overrides each
// rep's view of the open month pays must be those of a reference written plainly here. Over HTTP rather
// than on compression.ts alone: the genealogy the period layer walks is the one the service folded.
// fast-check prints the seed and path of a failing run.
import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Money, Rate } from '../../src/shared/money.js';
import { post, rep, sale } from '../support/pay-cycle-given.js';
import { removeDir, startTestApp, type TestApp } from '../support/test-app.js';

const PLAN_FILE = 'plans/compression-example.plan.json';
/** The plan's terms the reference needs, read from the plan file. */
const [TERMS] = JSON.parse(readFileSync(PLAN_FILE, 'utf8')).versions;
const DIRECT_RATE: string = TERMS.rules.directSale.rate;
const OVERRIDE_RATES: string[] = TERMS.rules.override.ratesByGeneration;
const MINIMUM_VOLUME = Money.of(TERMS.periodRules.activity.minimumPersonalVolume.USD, 'USD');
const DEPTH_MAX = 8;

const repArb = fc.record({
  // the rep just before it (deep chains), or any of the reps before it (branches)
  sponsor: fc.oneof(fc.constant(-1), fc.nat()),
  sales: fc.array(fc.record({ cents: fc.integer({ min: 500, max: 8_000 }), day: fc.integer({ min: 1, max: 28 }) }), {
    maxLength: 3,
  }),
});
const networkArb = fc.array(repArb, { minLength: 2, maxLength: 14 });

interface Rep {
  readonly repId: string;
  readonly sponsor: string | null;
}
interface Sold {
  readonly saleId: string;
  readonly repId: string;
  readonly amount: string;
}

/** The tree: rep i's sponsor is one of the reps before it, moved up the tree while it would pass DEPTH_MAX. */
function treeOf(network: readonly { sponsor: number }[]): Rep[] {
  const reps: Rep[] = [];
  const depth: number[] = [];
  for (const [i, r] of network.entries()) {
    if (i === 0) {
      reps.push({ repId: 'r0', sponsor: null });
      depth.push(1);
      continue;
    }
    let sponsor = r.sponsor < 0 ? i - 1 : r.sponsor % i;
    while (depth[sponsor]! >= DEPTH_MAX) sponsor = Number(reps[sponsor]!.sponsor!.slice(1));
    reps.push({ repId: `r${i}`, sponsor: `r${sponsor}` });
    depth.push(depth[sponsor]! + 1);
  }
  return reps;
}

const dollars = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/**
 * The reference: walk up from the seller's sponsor; an upline whose own June sales are under the minimum
 * is skipped; each qualified one is paid the next paid level's rate on the sale (half-even to the cent),
 * recording their level in the tree and the level paid; stop when the plan's levels are all paid.
 */
function expectedOverrides(reps: readonly Rep[], sold: readonly Sold[]): string[] {
  const sponsorOf = new Map(reps.map((r) => [r.repId, r.sponsor]));
  const volume = new Map<string, Money>();
  for (const s of sold) volume.set(s.repId, (volume.get(s.repId) ?? Money.zero('USD')).plus(Money.of(s.amount, 'USD')));
  const qualified = (repId: string) => (volume.get(repId)?.compare(MINIMUM_VOLUME) ?? -1) >= 0;
  const paid: string[] = [];
  for (const s of sold) {
    let upline = sponsorOf.get(s.repId) ?? null;
    let paidLevel = 0;
    for (let level = 1; upline !== null && paidLevel < OVERRIDE_RATES.length; level++) {
      if (qualified(upline)) {
        paidLevel++;
        const amount = Money.of(s.amount, 'USD').timesRate(Rate.of(OVERRIDE_RATES[paidLevel - 1]!));
        paid.push(`${upline} sale-${s.saleId} level ${level} paid ${paidLevel} ${amount.toString()}`);
      }
      upline = sponsorOf.get(upline) ?? null;
    }
  }
  return paid.sort();
}

/** Each rep's June earnings: their own 20%, and the overrides the reference pays them. */
function expectedEarned(reps: readonly Rep[], sold: readonly Sold[], overrides: readonly string[]): string[] {
  return reps.map(({ repId }) => {
    let earned = Money.zero('USD');
    for (const s of sold.filter((s) => s.repId === repId))
      earned = earned.plus(Money.of(s.amount, 'USD').timesRate(Rate.of(DIRECT_RATE)));
    for (const o of overrides.filter((o) => o.startsWith(`${repId} `)))
      earned = earned.plus(Money.of(o.split(' ').at(-1)!, 'USD'));
    return `${repId} ${earned.toString()}`;
  });
}

describe('dynamic compression over random trees (property, over HTTP)', () => {
  let ledger: TestApp | null = null;
  const stop = async () => {
    const running = ledger;
    ledger = null;
    if (running === null) return;
    await running.stop();
    await removeDir(running.dir);
  };
  afterEach(stop);

  it("pays each sale's overrides to the next qualified uplines, at their tree level and paid level", async () => {
    await fc.assert(
      fc.asyncProperty(networkArb, async (network) => {
        try {
          // given a random tree and everyone's June sales
          const reps = treeOf(network);
          const sold = network.flatMap((r, i) =>
            r.sales.map((s, k) => ({ saleId: `S-${i}-${k}`, repId: `r${i}`, amount: dollars(s.cents), day: s.day })),
          );
          ledger = await startTestApp({ overrides: { PLAN_FILE } });
          const requests = [
            ...reps.map((r) => rep(r.repId, r.sponsor)),
            ...sold.map((s) =>
              sale(s.saleId, s.repId, s.amount, `2025-06-${String(s.day).padStart(2, '0')}T10:00:00Z`),
            ),
          ];
          const position = await post(ledger, requests);
          // when each rep's view of the open June is read
          const paid: string[] = [];
          const earned: string[] = [];
          for (const { repId } of reps) {
            const view = await ledger.get(`/people/${repId}/periods/2025-06?minPosition=${position}`);
            expect(view.status).toBe(200);
            for (const o of view.body.paidOverrides)
              paid.push(`${repId} ${o.source.stream} level ${o.level} paid ${o.paidLevel} ${o.amount}`);
            earned.push(`${repId} ${view.body.totals[0]?.earned ?? '0.00'}`);
          }
          // then the overrides paid are the reference's, and so is what each rep earned
          const expected = expectedOverrides(reps, sold);
          expect(paid.sort()).toEqual(expected);
          expect(earned).toEqual(expectedEarned(reps, sold, expected));
        } finally {
          await stop();
        }
      }),
      { numRuns: 20 },
    );
  }, 600_000);
});
