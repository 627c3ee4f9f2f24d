// A rank's override levels applied at the period layer: the pure rule, a person's figures, and the close's
// Sealer (the period being closed, its compression, and late facts in a closed period by the rank sealed).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_PERIOD_RULES, type PeriodRules, type Rank } from '../plan/period-rules.js';
import { countedAs, personPeriod, rankPays, type PayLine } from './period-figures.js';
import { saleLine } from './pay-line.spec-support.js';
import { periodBounds } from './period.js';
import { Sealer, type EarlierCloses, type SealInput } from './seal.js';

const rank = (name: string, usd: string, groupUsd: string | null, overrideLevels: number): Rank => ({
  name,
  personalVolume: { USD: usd },
  groupVolume: groupUsd === null ? {} : { USD: groupUsd },
  qualifiedLegs: 0,
  overrideLevels,
});

/** 50.00 to qualify; Associate (1 level) at 50.00 own, Manager (2 levels) with 400.00 of group volume. */
const RULES: PeriodRules = {
  ...DEFAULT_PERIOD_RULES,
  minimumPersonalVolume: { USD: '50.00' },
  ranks: [rank('Associate', '50.00', null, 1), rank('Manager', '50.00', '400.00', 2)],
};
const JUNE = periodBounds('2025-06', DEFAULT_PERIOD_RULES);
const JULY = periodBounds('2025-07', DEFAULT_PERIOD_RULES);

// a <- b <- c <- d, a chain
const SPONSORS: Record<string, string | null> = { a: null, b: 'a', c: 'b', d: 'c' };
const sponsorOf = (p: string) => SPONSORS[p] ?? null;
const RATES = ['0.05', '0.03', '0.02'];

let position = 0;
/** A sale and the fold's lines for it: the seller's 20% and 5/3/2% to the first three uplines. */
function sold(seller: string, cents: bigint, day: string): PayLine[] {
  position += 1;
  const at = `${day}T10:00:00.000Z`;
  const sale = { currency: 'USD', baseAmount: cents.toString().replace(/(\d\d)$/, '.$1') };
  const money = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
  const lines: PayLine[] = [
    saleLine(
      {
        ...sale,
        earnerId: seller,
        rule: 'directSale',
        kind: 'one-off',
        amount: money(cents / 5n),
        rate: '0.20',
        level: null,
      },
      position,
      at,
    ),
  ];
  let upline = sponsorOf(seller);
  for (let g = 0; upline !== null && g < RATES.length; g++, upline = sponsorOf(upline)) {
    const minor = (cents * [5n, 3n, 2n][g]!) / 100n;
    lines.push(
      saleLine(
        {
          ...sale,
          earnerId: upline,
          rule: 'override',
          kind: 'residual',
          amount: money(minor),
          rate: RATES[g]!,
          level: g + 1,
        },
        position,
        at,
      ),
    );
  }
  return lines;
}

const NO_EARLIER: EarlierCloses = { first: null, last: null, qualifiedIn: () => true };
const NO_HOLDS = { isHeld: () => false, forfeits: () => false };

function seal(lines: readonly PayLine[], overrides: Partial<SealInput> = {}) {
  const sealer = new Sealer({
    bounds: JUNE,
    calendar: DEFAULT_PERIOD_RULES,
    rules: RULES,
    planFingerprint: 'p',
    earlier: NO_EARLIER,
    holds: NO_HOLDS,
    ranks: { sponsorOf },
    ...overrides,
  });
  for (const line of lines) sealer.add(line);
  return { sealer, statements: sealer.statements() };
}

const row = (s: { personId: string; earned: string; notQualified: string; rank?: { name: string | null } }) =>
  `${s.personId} ${s.rank === undefined ? '-' : s.rank.name} ${s.earned} ${s.notQualified}`;

describe("a rank's override levels", () => {
  it('pay an override down to the level the rank names, by its paid level under compression', () => {
    expect([rankPays(2, 1), rankPays(2, 2), rankPays(2, 3), rankPays(0, 1)]).toEqual([true, true, false, false]);
    const override = sold('d', 100_00n, '2025-06-02').find((l) => l.level === 3)!;
    expect(countedAs(override, true, false, 2)).toEqual({ counted: 'notQualified', notQualifiedReason: 'rank' });
    expect(countedAs(override, true, false, 3)).toEqual({ counted: 'earned' });
    expect(countedAs(override, false, false, 3)).toEqual({ counted: 'notQualified', notQualifiedReason: 'activity' });
    // without ranks, today's shape: no reason
    expect(countedAs(override, false, false)).toEqual({ counted: 'notQualified' });
    expect(countedAs(override, true, true, 0)).toEqual({ counted: 'compressed' });
  });

  it("leave out of a person's figures the overrides deeper than their rank, as not qualified", () => {
    // given a (an Associate: 1 level) with overrides at levels 1 and 3
    const lines = [
      ...sold('a', 60_00n, '2025-06-01'),
      ...sold('b', 100_00n, '2025-06-02'),
      ...sold('d', 100_00n, '2025-06-03'),
    ];
    const mine = lines.filter((l) => l.earnerId === 'a');
    const figures = personPeriod('a', JUNE, mine, RULES, undefined, { name: 'Associate', overrideLevels: 1 });
    expect(figures.totals).toMatchObject([{ earned: '17.00', notQualified: '2.00' }]);
    expect(figures.lines.map((l) => [l.level, l.counted, l.notQualifiedReason])).toEqual([
      [null, 'earned', undefined],
      [1, 'earned', undefined],
      [3, 'notQualified', 'rank'],
    ]);
    expect(figures.rank).toEqual({ name: 'Associate', overrideLevels: 1 });
  });

  it('cut at the close what the rank does not pay, and seal the rank on each statement', () => {
    // given a 60.00 (group 420.00: a Manager), b 60.00, c 200.00 and d 100.00 (Associates)
    const { statements } = seal([
      ...sold('a', 60_00n, '2025-06-01'),
      ...sold('b', 60_00n, '2025-06-02'),
      ...sold('c', 200_00n, '2025-06-03'),
      ...sold('d', 100_00n, '2025-06-04'),
    ]);
    // then a earns b's and c's sales (levels 1, 2), not d's (level 3): 12.00 + 3.00 + 6.00, cut 2.00
    expect(statements.map(row)).toEqual([
      'a Manager 21.00 2.00',
      'b Associate 22.00 3.00',
      'c Associate 45.00 0.00',
      'd Associate 20.00 0.00',
    ]);
    expect(statements[0]!.rank).toEqual({ name: 'Manager', overrideLevels: 2 });
  });

  it('pay no override to a qualified rep who reaches no rank', () => {
    // given the Associate rank asking 100.00 of own sales: a qualifies (60.00 is above 50.00) but reaches none
    const rules = { ...RULES, ranks: [rank('Associate', '100.00', null, 1)] };
    const { statements } = seal([...sold('a', 60_00n, '2025-06-01'), ...sold('b', 100_00n, '2025-06-02')], { rules });
    expect(statements.map(row)).toEqual(['a null 12.00 5.00', 'b Associate 20.00 0.00']);
    expect(statements[0]).toMatchObject({ qualified: true, rank: { name: null, overrideLevels: 0 } });
  });

  it('count from the paid level under compression', () => {
    // given b unqualified (20.00): d's 100.00 pays c level 1, a (level 3) paid level 2
    const compression = { compressedIn: () => true, sponsorOf };
    const lines = [
      ...sold('a', 100_00n, '2025-06-01'),
      ...sold('b', 20_00n, '2025-06-02'),
      ...sold('c', 60_00n, '2025-06-03'),
      ...sold('d', 100_00n, '2025-06-04'),
    ];
    const asManager = { ...RULES, ranks: [rank('Manager', '50.00', null, 2)] };
    const asAssociate = { ...RULES, ranks: [rank('Associate', '50.00', null, 1)] };
    // then as a Manager a is paid d's sale at paid level 2 (3.00), though it is three levels down
    expect(seal(lines, { compression, rules: asManager }).statements.map(row)).toEqual([
      'a Manager 27.00 0.00',
      'b null 4.00 6.00',
      'c Manager 17.00 0.00',
      'd Manager 20.00 0.00',
    ]);
    // and as an Associate it is cut
    const cut = seal(lines, { compression, rules: asAssociate }).statements.map(row);
    expect(cut).toEqual([
      'a Associate 24.00 3.00',
      'b null 4.00 6.00',
      'c Associate 17.00 0.00',
      'd Associate 20.00 0.00',
    ]);
  });

  it('keep the level of a qualified rep whose rank is short: what it cuts does not roll up to the next', () => {
    // given b and c qualified (60.00) with no rank (it asks 100.00), a and d Associates paying 3 levels
    const compression = { compressedIn: () => true, sponsorOf };
    const rules = { ...RULES, ranks: [rank('Associate', '100.00', null, 3)] };
    const lines = [
      ...sold('a', 100_00n, '2025-06-01'),
      ...sold('b', 60_00n, '2025-06-02'),
      ...sold('c', 60_00n, '2025-06-03'),
      ...sold('d', 100_00n, '2025-06-04'),
    ];
    // then d's sale pays a at level 3 (2%, 2.00), not the 5% of c's level 1 nor the 3% of b's level 2
    expect(seal(lines, { compression, rules }).statements.map(row)).toEqual([
      'a Associate 26.80 0.00',
      'b null 12.00 6.00',
      'c null 12.00 5.00',
      'd Associate 20.00 0.00',
    ]);
  });

  it('pay a late fact in a closed period by the rank sealed for it', () => {
    // given June sealed with a as an Associate (1 level), and d's sale dated in June recorded after it
    const late = sold('d', 100_00n, '2025-06-20');
    const earlier = (levels: number): EarlierCloses => ({
      first: '2025-06',
      last: { period: '2025-06', asOfPosition: '0', planFingerprint: 'p', statement: () => undefined, keys: () => [] },
      qualifiedIn: () => true,
      levelsIn: (_period, personId) => (personId === 'a' ? levels : 3),
    });
    const adjusted = (levels: number) =>
      seal(late, { bounds: JULY, earlier: earlier(levels) })
        .statements.filter((s) => s.personId === 'a')
        .map((s) => s.adjustments.map((adj) => adj.amount));
    // then a's level-3 override is not brought into July; sealed as a Director (3 levels) it would be
    expect(adjusted(1)).toEqual([]);
    expect(adjusted(3)).toEqual([['2.00']]);
  });

  it('change no figure when the rank pays every level the plan prices', () => {
    const saleArb = fc.record({
      seller: fc.constantFrom('a', 'b', 'c', 'd'),
      cents: fc.bigInt({ min: 1_00n, max: 500_00n }),
      day: fc.integer({ min: 1, max: 28 }),
    });
    fc.assert(
      fc.property(fc.array(saleArb, { minLength: 1, maxLength: 12 }), fc.boolean(), (sales, compressing) => {
        position = 0;
        const lines = sales.flatMap((s) => sold(s.seller, s.cents, `2025-06-${String(s.day).padStart(2, '0')}`));
        const compression = compressing ? { compressedIn: () => true, sponsorOf } : undefined;
        const everyLevel = { ...RULES, ranks: [rank('Any', '0.00', null, 3)] };
        const ranked = seal(lines, { compression, rules: everyLevel }).statements;
        const plain = seal(lines, { compression, rules: { ...RULES, ranks: [] }, ranks: undefined }).statements;
        expect(ranked.map(({ rank: _rank, ...s }) => s)).toEqual(plain);
        expect(plain.every((s) => !('rank' in s))).toBe(true);
      }),
    );
  });
});
