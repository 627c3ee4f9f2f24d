// Ranks of a period (a period rule of the plan): each rep's rank from their personal volume, their
// group volume (their own and their whole downline's) and their qualified legs in the period, the
// override levels it pays, and what they still lack for the next rank (Exigo's rank report card).
// Pure: the volumes, the genealogy and activity qualification arrive as data and functions.
import type { SealedRank } from '../events.js';
import type { PeriodRules, Rank } from '../plan/period-rules.js';
import { COMPRESSION_DEPTH_MAX } from './compression.js';
import { amountOf, minorOf, qualify, reportingVolumeOf } from './period-figures.js';

/** Volumes per currency (minor units), keyed by currency. */
export type Volumes = ReadonlyMap<string, bigint>;

export interface RankCard {
  readonly personId: string;
  /** The rank reached in the period, null if none. */
  readonly rank: string | null;
  /** How many override levels the rank pays (0 without a rank). */
  readonly overrideLevels: number;
  /** In the reporting currency when the plan names one (one entry), else per currency. */
  readonly personalVolume: readonly { currency: string; volume: string }[];
  readonly groupVolume: readonly { currency: string; volume: string }[];
  readonly qualifiedLegs: number;
  /** The rank above the one reached, and what is still lacking for it; null at the top rank. */
  readonly next: {
    readonly rank: string;
    readonly overrideLevels: number;
    readonly lacking: {
      readonly personalVolume: readonly { currency: string; amount: string }[];
      readonly groupVolume: readonly { currency: string; amount: string }[];
      readonly qualifiedLegs: number;
    };
  } | null;
}

/** A rank card as a period records it: the rank's name (null: none) and its override levels. */
export function rankReached(card: RankCard): SealedRank {
  return { name: card.rank, overrideLevels: card.overrideLevels };
}

export interface Genealogy {
  /** The person's sponsor, null for a root. */
  sponsorOf(personId: string): string | null;
}

/** Everyone's ranks in one period, from the personal volumes of everyone with lines in it. */
export class PeriodRanks {
  private readonly personal = new Map<string, Map<string, bigint>>();
  private readonly group = new Map<string, Map<string, bigint>>();
  private readonly legs = new Map<string, Set<string>>();
  private readonly cards = new Map<string, RankCard>();

  constructor(
    volumes: ReadonlyMap<string, Volumes>,
    genealogy: Genealogy,
    private readonly rules: PeriodRules,
  ) {
    for (const [personId, byCurrency] of volumes) {
      const own = this.measured(byCurrency);
      this.personal.set(personId, own);
      const qualified = [...own.values()].some((v) => v > 0n) && qualify(byCurrency, rules).qualified;
      this.climb(personId, own, qualified, genealogy);
    }
  }

  /** Adds a person's volume to their own group and every upline's, and their leg to each upline's count. */
  private climb(personId: string, own: Map<string, bigint>, qualified: boolean, genealogy: Genealogy): void {
    let child: string | null = null;
    let person: string | null = personId;
    for (let depth = 0; person !== null && depth <= COMPRESSION_DEPTH_MAX; depth++) {
      const group = this.group.get(person) ?? new Map<string, bigint>();
      for (const [currency, v] of own) group.set(currency, (group.get(currency) ?? 0n) + v);
      this.group.set(person, group);
      if (qualified && child !== null) this.legs.set(person, (this.legs.get(person) ?? new Set()).add(child));
      child = person;
      person = genealogy.sponsorOf(person);
    }
  }

  /** A person's volumes as ranks count them: in the reporting currency when the plan names one. */
  private measured(byCurrency: Volumes): Map<string, bigint> {
    const reporting = this.rules.reporting;
    if (reporting === null) return new Map([...byCurrency].filter(([, v]) => v !== 0n));
    return new Map([[reporting.currency, reportingVolumeOf(byCurrency, reporting)]]);
  }

  /** How many override levels the person earns in the period. */
  levelsOf(personId: string): number {
    return this.cardOf(personId).overrideLevels;
  }

  cardOf(personId: string): RankCard {
    let card = this.cards.get(personId);
    if (card === undefined) this.cards.set(personId, (card = this.card(personId)));
    return card;
  }

  private card(personId: string): RankCard {
    const personal = this.personal.get(personId) ?? new Map<string, bigint>();
    const group = this.group.get(personId) ?? new Map<string, bigint>();
    const legs = this.legs.get(personId)?.size ?? 0;
    const ranks = this.rules.ranks;
    let reached = -1;
    ranks.forEach((rank, i) => {
      if (lackingFor(rank, personal, group, legs).met) reached = i;
    });
    const rank = reached < 0 ? null : ranks[reached]!;
    const next = ranks[reached + 1];
    const lacking = next === undefined ? null : lackingFor(next, personal, group, legs);
    return {
      personId,
      rank: rank?.name ?? null,
      overrideLevels: rank?.overrideLevels ?? 0,
      personalVolume: listed(personal, this.namedCurrencies()),
      groupVolume: listed(group, this.namedCurrencies()),
      qualifiedLegs: legs,
      next:
        next === undefined || lacking === null
          ? null
          : {
              rank: next.name,
              overrideLevels: next.overrideLevels,
              lacking: { personalVolume: lacking.personal, groupVolume: lacking.group, qualifiedLegs: lacking.legs },
            },
    };
  }

  /** The currencies the ranks name (shown even at zero volume). */
  private namedCurrencies(): string[] {
    if (this.rules.reporting !== null) return [this.rules.reporting.currency];
    return this.rules.ranks.flatMap((r) => [...Object.keys(r.personalVolume), ...Object.keys(r.groupVolume)]);
  }
}

/**
 * What a rank still asks of a rep. Per currency, a rank is met in a currency it names when both
 * volumes reach its minimums there (as activity qualification is met in one currency); `lacking`
 * lists, for each currency the rank names, what is missing there.
 */
export function lackingFor(rank: Rank, personal: Volumes, group: Volumes, legs: number) {
  const currencies = [...new Set([...Object.keys(rank.personalVolume), ...Object.keys(rank.groupVolume)])].sort();
  const short = (minimums: Readonly<Record<string, string>>, volumes: Volumes, currency: string): bigint => {
    const minimum = minimums[currency];
    if (minimum === undefined) return 0n;
    const gap = minorOf(minimum, currency) - (volumes.get(currency) ?? 0n);
    return gap > 0n ? gap : 0n;
  };
  const legsLacking = Math.max(0, rank.qualifiedLegs - legs);
  const gaps = currencies.map((c) => ({
    currency: c,
    personal: short(rank.personalVolume, personal, c),
    group: short(rank.groupVolume, group, c),
  }));
  const volumesMet = currencies.length === 0 || gaps.some((g) => g.personal === 0n && g.group === 0n);
  return {
    met: volumesMet && legsLacking === 0,
    personal: gaps.map((g) => ({ currency: g.currency, amount: amountOf(g.personal, g.currency) })),
    group: gaps.map((g) => ({ currency: g.currency, amount: amountOf(g.group, g.currency) })),
    legs: legsLacking,
  };
}

function listed(volumes: Volumes, named: readonly string[]): { currency: string; volume: string }[] {
  const currencies = [...new Set([...volumes.keys(), ...named])].sort();
  return currencies.map((currency) => ({ currency, volume: amountOf(volumes.get(currency) ?? 0n, currency) }));
}
