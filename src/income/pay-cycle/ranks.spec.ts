// The pure rank function: group volume over the whole downline, qualified legs, the rank reached
// and what the next one still lacks.
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_PERIOD_RULES, type PeriodRules } from '../plan/period-rules.js';
import { PeriodRanks } from './ranks.js';

const RULES: PeriodRules = {
  ...DEFAULT_PERIOD_RULES,
  minimumPersonalVolume: { USD: '50.00' },
  ranks: [
    { name: 'Associate', personalVolume: { USD: '50.00' }, groupVolume: {}, qualifiedLegs: 0, overrideLevels: 1 },
    {
      name: 'Manager',
      personalVolume: { USD: '50.00' },
      groupVolume: { USD: '500.00' },
      qualifiedLegs: 0,
      overrideLevels: 2,
    },
    {
      name: 'Director',
      personalVolume: { USD: '50.00' },
      groupVolume: { USD: '1000.00' },
      qualifiedLegs: 2,
      overrideLevels: 3,
    },
  ],
};

// ana <- ben <- dan; ana <- cleo; figures in cents
const SPONSORS: Record<string, string | null> = { ana: null, ben: 'ana', cleo: 'ana', dan: 'ben' };
const genealogy = { sponsorOf: (p: string) => SPONSORS[p] ?? null };
const usd = (cents: number) => new Map([['USD', BigInt(cents)]]);

describe('ranks of a period', () => {
  it('count the whole downline into group volume and a branch with a qualified rep as a leg', () => {
    // given ben below the activity minimum but dan, under him, above it
    const ranks = new PeriodRanks(
      new Map([
        ['ana', usd(100_00)],
        ['ben', usd(40_00)],
        ['cleo', usd(80_00)],
        ['dan', usd(900_00)],
      ]),
      genealogy,
      RULES,
    );
    // then ana's group is everyone's volume, and both her first-level branches are legs
    expect(ranks.cardOf('ana')).toEqual({
      personId: 'ana',
      rank: 'Director',
      overrideLevels: 3,
      personalVolume: [{ currency: 'USD', volume: '100.00' }],
      groupVolume: [{ currency: 'USD', volume: '1120.00' }],
      qualifiedLegs: 2,
      next: null,
    });
    // and ben, whose personal volume is short, reaches no rank however large his group
    expect(ranks.cardOf('ben')).toMatchObject({ rank: null, overrideLevels: 0, qualifiedLegs: 1 });
    expect(ranks.cardOf('ben').next).toEqual({
      rank: 'Associate',
      overrideLevels: 1,
      lacking: {
        personalVolume: [{ currency: 'USD', amount: '10.00' }],
        groupVolume: [{ currency: 'USD', amount: '0.00' }],
        qualifiedLegs: 0,
      },
    });
  });

  it('say what the next rank still lacks: group volume and legs', () => {
    const ranks = new PeriodRanks(
      new Map([
        ['ana', usd(100_00)],
        ['ben', usd(60_00)],
        ['dan', usd(500_00)],
      ]),
      genealogy,
      RULES,
    );
    expect(ranks.cardOf('ana')).toMatchObject({
      rank: 'Manager',
      overrideLevels: 2,
      qualifiedLegs: 1,
      next: {
        rank: 'Director',
        lacking: {
          personalVolume: [{ currency: 'USD', amount: '0.00' }],
          groupVolume: [{ currency: 'USD', amount: '340.00' }],
          qualifiedLegs: 1,
        },
      },
    });
  });

  it('give a person with nothing in the period no rank, and the first rank as the next', () => {
    const ranks = new PeriodRanks(new Map(), genealogy, RULES);
    expect(ranks.cardOf('cleo')).toMatchObject({
      rank: null,
      overrideLevels: 0,
      personalVolume: [{ currency: 'USD', volume: '0.00' }],
      groupVolume: [{ currency: 'USD', volume: '0.00' }],
      next: { rank: 'Associate' },
    });
  });

  it('measure volumes in the reporting currency when the plan names one', () => {
    const rules: PeriodRules = {
      ...RULES,
      reporting: { currency: 'USD', rates: { EUR: '1.10' } },
    };
    // 300.00 EUR is 330.00 USD; with ana's 100.00 USD and ben's 60.00 USD: 490.00, short of 500.00
    const ranks = new PeriodRanks(
      new Map([
        ['ana', usd(100_00)],
        ['ben', usd(60_00)],
        ['dan', new Map([['EUR', 300_00n]])],
      ]),
      genealogy,
      rules,
    );
    expect(ranks.cardOf('ana')).toMatchObject({
      rank: 'Associate',
      groupVolume: [{ currency: 'USD', volume: '490.00' }],
      next: { rank: 'Manager', lacking: { groupVolume: [{ currency: 'USD', amount: '10.00' }] } },
    });
    expect(ranks.cardOf('dan').personalVolume).toEqual([{ currency: 'USD', volume: '330.00' }]);
  });

  it('reach a rank in one currency it names, as activity qualification does', () => {
    const rules: PeriodRules = {
      ...DEFAULT_PERIOD_RULES,
      ranks: [
        {
          name: 'Associate',
          personalVolume: { EUR: '40.00', USD: '50.00' },
          groupVolume: {},
          qualifiedLegs: 0,
          overrideLevels: 1,
        },
      ],
    };
    const ranks = new PeriodRanks(new Map([['ana', new Map([['EUR', 45_00n]])]]), genealogy, rules);
    expect(ranks.levelsOf('ana')).toBe(1);
    expect(ranks.levelsOf('ben')).toBe(0);
  });
});
