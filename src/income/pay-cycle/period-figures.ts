// A person's figures for one period, and the activity qualification they rest on. Pure: the lines
// come from the income fold (through the read model); nothing here reads the clock or the store.
import { Money } from '../../shared/money.js';
import type { IncomeKind, LedgerLine } from '../read-model/income.fold.js';
import type { SealedRank } from '../events.js';
import type { PeriodRules, ReportingCurrency } from '../plan/period-rules.js';
import type { PeriodBounds } from './period.js';

/** A line of the income fold with its earner, in minor units: what the period layer works on. */
export type PayLine = LedgerLine;

export interface Qualification {
  readonly qualified: boolean;
  /** Own sales and renewals in the period (refunds net), per currency, beside the plan's minimum. */
  readonly personalVolume: readonly { currency: string; volume: string; minimum: string | null }[];
  /** With a reporting currency: the volume in it (each currency's converted at the plan's rate), and its minimum. */
  readonly reportingVolume?: { currency: string; volume: string; minimum: string | null };
}

export const minorOf = (amount: string, currency: string): bigint =>
  BigInt(Money.parse(amount, currency).toMinorUnits());
export const amountOf = (minor: bigint, currency: string): string => Money.fromMinorUnits(minor, currency).toString();

/** The volume a line adds to its earner's personal volume: the base of their own sales and renewals. */
export function personalVolumeOf(line: PayLine): bigint {
  return line.rule === 'directSale' || line.rule === 'renewal' ? line.baseAmount.minorUnits : 0n;
}

/**
 * Qualified when the own volume reaches the minimum in at least one currency the plan names;
 * a plan that names none qualifies everyone.
 */
export function qualify(volumes: ReadonlyMap<string, bigint>, rules: PeriodRules): Qualification {
  if (rules.reporting !== null) return qualifyInReporting(volumes, rules, rules.reporting);
  const minimums = rules.minimumPersonalVolume;
  const currencies = [...new Set([...volumes.keys(), ...Object.keys(minimums)])].sort();
  const personalVolume = currencies.map((currency) => ({
    currency,
    volume: amountOf(volumes.get(currency) ?? 0n, currency),
    minimum: minimums[currency] ?? null,
  }));
  const qualified =
    Object.keys(minimums).length === 0 ||
    currencies.some((c) => minimums[c] !== undefined && (volumes.get(c) ?? 0n) >= minorOf(minimums[c], c));
  return { qualified, personalVolume };
}

/**
 * A volume in the reporting currency: each currency's volume converted at the plan's rate and rounded
 * half to even to its minor units, then summed. A currency the plan fixes no rate for counts nothing.
 */
export function reportingVolumeOf(volumes: ReadonlyMap<string, bigint>, reporting: ReportingCurrency): bigint {
  let sum = 0n;
  for (const [currency, minor] of volumes) {
    if (currency === reporting.currency) sum += minor;
    const rate = reporting.rates[currency];
    if (rate === undefined) continue;
    sum += BigInt(Money.fromMinorUnits(minor, currency).convertedAt(rate, reporting.currency).toMinorUnits());
  }
  return sum;
}

function qualifyInReporting(
  volumes: ReadonlyMap<string, bigint>,
  rules: PeriodRules,
  reporting: ReportingCurrency,
): Qualification {
  const currency = reporting.currency;
  const minimum = rules.minimumPersonalVolume[currency] ?? null;
  const volume = reportingVolumeOf(volumes, reporting);
  const personalVolume = [...volumes.keys()].sort().map((c) => ({
    currency: c,
    volume: amountOf(volumes.get(c)!, c),
    minimum: null,
  }));
  return {
    qualified: minimum === null || volume >= minorOf(minimum, currency),
    personalVolume,
    reportingVolume: { currency, volume: amountOf(volume, currency), minimum },
  };
}

/** Only overrides need qualification: a rep's own commissions are theirs whatever their volume. */
export function needsQualification(line: Pick<PayLine, 'rule'>): boolean {
  return line.rule === 'override';
}

/**
 * Whether a rank pays an override at a level: the override's paid level under dynamic compression, its
 * level in the tree without. A deeper one is not paid and does not roll up (breakage, as in most unilevel
 * plans): compression skips unqualified reps, never ranks.
 */
export function rankPays(overrideLevels: number, level: number): boolean {
  return level <= overrideLevels;
}

export interface PeriodTotals {
  readonly currency: string;
  readonly oneOff: string;
  readonly residual: string;
  readonly passive: string;
  /** What counts: every line but the overrides of an unqualified rep. */
  readonly earned: string;
  /** Overrides not earned: the rep is not qualified in the period (or, under ranks, the level is deeper than their rank pays). */
  readonly notQualified: string;
  /** Only under a plan with caps per period: what each capped rule lost to its cap (`earned` is after them). */
  readonly capped?: readonly { rule: string; cut: string }[];
}

/** How a line of the fold counts in the period: overrides of an unqualified rep do not; compressed ones are paid anew. */
export type Counted = 'earned' | 'notQualified' | 'compressed';

/** Under a plan with ranks, why an override is not qualified: the activity minimum, or a level deeper than the rank pays. */
export type NotQualifiedReason = 'activity' | 'rank';

/** How a line counts, with its reason when it does not (the reason only under a plan with ranks). */
export interface CountedAs {
  readonly counted: Counted;
  readonly notQualifiedReason?: NotQualifiedReason;
}

/** A paid override after compression; under a plan with ranks, whether its rank pays it. */
export type PaidOverrideLine = PayLine & {
  readonly level: number;
  readonly paidLevel: number;
  readonly counted?: 'earned' | 'notQualified';
  readonly notQualifiedReason?: 'rank';
};

export interface PersonPeriod {
  readonly personId: string;
  readonly bounds: PeriodBounds;
  readonly qualification: Qualification;
  /** Only under a plan with ranks: the rank reached in the period and its override levels. */
  readonly rank?: SealedRank;
  readonly totals: readonly PeriodTotals[];
  readonly lines: readonly (PayLine & CountedAs)[];
  /** With dynamic compression: the overrides paid to the person, each with its level and paid level. */
  readonly paidOverrides: readonly PaidOverrideLine[];
}

type Sums = Record<IncomeKind | 'notQualified', bigint>;

/**
 * How one of the person's lines counts. `levels`: the override levels of their rank, under a plan with
 * ranks; an override deeper than it (by its level in the tree: a compressed one is judged by its paid level)
 * is not paid.
 */
export function countedAs(line: PayLine, qualified: boolean, compressed: boolean, levels?: number): CountedAs {
  if (!needsQualification(line)) return { counted: 'earned' };
  if (!qualified)
    return levels === undefined
      ? { counted: 'notQualified' }
      : { counted: 'notQualified', notQualifiedReason: 'activity' };
  if (compressed) return { counted: 'compressed' };
  if (levels !== undefined && !rankPays(levels, line.level ?? 0))
    return { counted: 'notQualified', notQualifiedReason: 'rank' };
  return { counted: 'earned' };
}

/**
 * A person's period from their lines dated in it: qualification first, then what counts. With
 * dynamic compression (`paid` given) the fold's overrides are replaced by the ones paid after it;
 * under a plan with ranks (`rank` given) only the levels the rank pays count.
 */
export function personPeriod(
  personId: string,
  bounds: PeriodBounds,
  lines: readonly PayLine[],
  rules: PeriodRules,
  paid?: readonly (PayLine & { readonly level: number; readonly paidLevel: number })[],
  rank?: SealedRank,
): PersonPeriod {
  const volumes = new Map<string, bigint>();
  for (const line of lines) volumes.set(line.currency, (volumes.get(line.currency) ?? 0n) + personalVolumeOf(line));
  const qualification = qualify(volumes, rules);
  const sums = new Map<string, Sums>();
  const count = (line: PayLine, as: IncomeKind | 'notQualified') => {
    const sum = sums.get(line.currency) ?? { 'one-off': 0n, residual: 0n, passive: 0n, notQualified: 0n };
    sum[as] += line.amount.minorUnits;
    sums.set(line.currency, sum);
  };
  const levels = rank?.overrideLevels;
  const counted = lines.map((line) => {
    const how = countedAs(line, qualification.qualified, paid !== undefined, levels);
    if (how.counted !== 'compressed') count(line, how.counted === 'earned' ? line.kind : 'notQualified');
    return { ...line, ...how };
  });
  const paidOut: PaidOverrideLine[] = (paid ?? []).map((line) =>
    levels === undefined
      ? line
      : rankPays(levels, line.paidLevel)
        ? { ...line, counted: 'earned' }
        : { ...line, counted: 'notQualified', notQualifiedReason: 'rank' },
  );
  for (const line of paidOut) count(line, line.counted === 'notQualified' ? 'notQualified' : line.kind);
  const counting = [
    ...counted.filter((l) => l.counted === 'earned'),
    ...paidOut.filter((l) => l.counted !== 'notQualified'),
  ];
  return {
    personId,
    bounds,
    qualification,
    ...(rank === undefined ? {} : { rank }),
    totals: totalsOf(sums, rules, counting),
    lines: counted,
    paidOverrides: paidOut,
  };
}

/** The totals per currency, less what the caps per period cut from the lines that count (`counting`). */
function totalsOf(sums: ReadonlyMap<string, Sums>, rules: PeriodRules, counting: readonly PayLine[]): PeriodTotals[] {
  const capping = Object.keys(rules.periodCaps).length > 0;
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, s]) => {
      const ownByRule = new Map<string, bigint>();
      let overrides = 0n;
      for (const line of counting.filter((l) => l.currency === currency)) {
        const minor = line.amount.minorUnits;
        if (needsQualification(line)) overrides += minor;
        else ownByRule.set(line.rule, (ownByRule.get(line.rule) ?? 0n) + minor);
      }
      const cuts = capping ? cutsOf(rules, currency, ownByRule, overrides) : [];
      const cut = cuts.reduce((sum, c) => sum + c.cut, 0n);
      return {
        currency,
        oneOff: amountOf(s['one-off'], currency),
        residual: amountOf(s.residual, currency),
        passive: amountOf(s.passive, currency),
        earned: amountOf(s['one-off'] + s.residual + s.passive - cut, currency),
        notQualified: amountOf(s.notQualified, currency),
        ...(capping ? { capped: cuts.map((c) => ({ rule: c.rule, cut: amountOf(c.cut, currency) })) } : {}),
      };
    });
}

/** What each capped rule's lines of the period (overrides as counted) lost to its cap in this currency. */
export function cutsOf(
  rules: PeriodRules,
  currency: string,
  ownByRule: ReadonlyMap<string, bigint>,
  overrides: bigint,
): { rule: string; cut: bigint }[] {
  const cuts: { rule: string; cut: bigint }[] = [];
  for (const [rule, caps] of Object.entries(rules.periodCaps)) {
    const cap = caps[currency];
    if (cap === undefined) continue;
    const counted = rule === 'override' ? overrides : (ownByRule.get(rule) ?? 0n);
    const cut = counted - minorOf(cap, currency);
    if (cut > 0n) cuts.push({ rule, cut });
  }
  return cuts;
}
