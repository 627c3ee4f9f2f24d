// The compensation plan as data: versions with the business time they take effect, each a small
// declarative rule set; the version in force at a time; the canonical form that identifies a plan;
// and the comparison that tells which business times a change of plan re-prices.
// Validation is in parse-plan.ts, "which reward applies" in pricing.ts.
// Pure: no file system, no Nest, no clock.
import { Rate } from '../../shared/money.js';
import { canonicalPeriodRules, type PeriodRules } from './period-rules.js';
import type { Instant } from '../../shared/time.js';

export type IncomeKind = 'one-off' | 'residual' | 'passive';

/**
 * What a rule pays: a rate of the event's amount, or a fixed amount per currency (decimal strings
 * fixed to each currency's minor units). An event in a currency the fixed amounts do not name earns
 * nothing from the rule (a zero line that says so).
 */
export type Reward = { readonly rate: Rate } | { readonly fixed: Readonly<Record<string, string>> };

/** A rule given per product (a sale's `productCode`), with the default for any other product. */
export interface PerProduct<T> {
  readonly default: T;
  /** Keyed by product code, in code order. */
  readonly products: Readonly<Record<string, T>>;
}

/** The age of a renewal: whole calendar months since its subscription's sale (0, 1, ...), or its renewal number (1, 2, ...). */
export type AgeMeasure = 'calendarMonths' | 'renewals';

/** One step of a recurring rule: from this age on (until the next step), this pays. */
export interface Step<P> {
  readonly from: number;
  readonly kind: IncomeKind;
  readonly pays: P;
}

/** A rule that pays on renewals, by the renewal's age, for a limited time or for ever. */
export interface Recurring<P> {
  readonly age: AgeMeasure;
  /** In order of `from`, strictly increasing; the first from age 0 (months) or 1 (renewals). */
  readonly steps: readonly Step<P>[];
  /** Nothing is paid on a renewal at or past this age (e.g. 12 calendar months, or renewal 13 for "12 renewals"). */
  readonly until?: { readonly calendarMonths: number } | { readonly renewals: number };
}

export interface OneTime<P> {
  readonly kind: IncomeKind;
  readonly pays: P;
}

/** Index 0 is upline level 1 (the sponsor). Levels past the end earn nothing: the list is the depth. */
export type ByLevel = readonly Reward[];

export interface OverrideRule {
  readonly sale: OneTime<ByLevel>;
  readonly renewal: Recurring<ByLevel>;
}

/** Extra pay on a rep's sales dated within `withinDays` days of the rep's recruitment. */
export interface FastStartRule {
  readonly withinDays: number;
  readonly rep: OneTime<Reward>;
  /** The rep's sponsor's share, if any. */
  readonly sponsor?: OneTime<Reward>;
}

/** Amounts per currency (minor-unit decimal strings); a currency not named is not capped. */
export type PerCurrency = Readonly<Record<string, string>>;

export type CapName = 'perLine' | 'perSubscription' | 'perCustomer';

/**
 * Caps on what one earner gets: on one line, and over a lifetime from one subscription (its sale and
 * renewals) or from one customer (every sale and renewal of theirs). In the event's currency.
 */
export interface Caps {
  readonly perLine?: PerCurrency;
  readonly perSubscription?: PerCurrency;
  readonly perCustomer?: PerCurrency;
}

/** Checked when a renewal is recorded: its amount may be at most `maxRatioToSale` × its sale's amount. */
export interface RenewalAmountRule {
  readonly maxRatioToSale: string;
}

export interface Rules {
  readonly directSale: PerProduct<OneTime<Reward>>;
  readonly renewal: PerProduct<Recurring<Reward>>;
  readonly override: PerProduct<OverrideRule>;
  /** Conversions carry no product: one rule for all. */
  readonly affiliate: OneTime<Reward>;
  readonly fastStart?: PerProduct<FastStartRule>;
  readonly caps?: PerProduct<Caps>;
  readonly renewalAmount?: PerProduct<RenewalAmountRule>;
}

/** One version of the rules. Every line records the version that priced it. */
export interface PlanVersion {
  readonly version: string;
  /** Business time from which this version prices events (the earliest version also covers all before). */
  readonly effectiveFrom: Instant;
  readonly rules: Rules;
  /** Commission periods and qualification (period-rules.ts). */
  readonly periodRules: PeriodRules;
}

export interface Plan {
  readonly description: string;
  /** In order of effectiveFrom, strictly increasing; at least one. */
  readonly versions: readonly PlanVersion[];
}

/** The version in force at a business time. */
export function versionAt(plan: Plan, at: Instant): PlanVersion {
  let found = plan.versions[0]!;
  for (const version of plan.versions) if (version.effectiveFrom <= at) found = version;
  return found;
}

/** The rule for a product: its own entry, or the default (also for a sale with no product). */
export function forProduct<T>(rule: PerProduct<T>, productCode: string | null): { rule: T; product: string | null } {
  if (productCode !== null && Object.hasOwn(rule.products, productCode))
    return { rule: rule.products[productCode]!, product: productCode };
  return { rule: rule.default, product: null };
}

/**
 * What the fold must remember for a plan beyond people, subscriptions and sales: what each earner has
 * had under lifetime caps, and how many times each subscription renewed. Kept only when some version
 * needs it (it costs writes on every line), so a plan that starts or stops needing it re-prices from
 * the beginning (firstDifference): only a rebuild can gather it.
 */
export interface FoldStateNeeds {
  readonly capUsage: boolean;
  readonly renewalCounts: boolean;
}

const foldStateCache = new WeakMap<Plan, FoldStateNeeds>();

export function foldStateNeeds(plan: Plan): FoldStateNeeds {
  const cached = foldStateCache.get(plan);
  if (cached !== undefined) return cached;
  const entries = <T>(rule: PerProduct<T> | undefined): T[] =>
    rule === undefined ? [] : [rule.default, ...Object.values(rule.products)];
  const rules = plan.versions.map((v) => v.rules);
  const recurring = rules.flatMap((r): Recurring<unknown>[] => [
    ...entries(r.renewal),
    ...entries(r.override).map((o) => o.renewal),
  ]);
  const needs = {
    capUsage: rules.some((r) =>
      entries(r.caps).some((c) => c.perSubscription !== undefined || c.perCustomer !== undefined),
    ),
    renewalCounts: recurring.some((r) => r.age === 'renewals' || (r.until !== undefined && 'renewals' in r.until)),
  };
  foldStateCache.set(plan, needs);
  return needs;
}

/** The plan as canonical JSON: what identifies it (whitespace and key order in the file do not). */
export function canonicalPlan(plan: Plan): string {
  return JSON.stringify({ versions: plan.versions.map((v) => JSON.parse(canonicalVersion(v)) as unknown) });
}

/** A version in the file's own format (parsePlan reads it back), every map in key order, rates as written. */
function canonicalVersion(v: PlanVersion): string {
  const periodRules = canonicalPeriodRules(v.periodRules); // undefined, and so left out, for the defaults
  return JSON.stringify(
    { version: v.version, effectiveFrom: v.effectiveFrom, rules: v.rules, periodRules },
    (_, value: unknown) => (value instanceof Rate ? value.toString() : value),
  );
}

/**
 * The earliest business time from which `next` may price an event differently from `previous`
 * ('' for all time), or null when the two price everything the same. Every rule takes part: two
 * versions price the same only if their rules are the same, whatever rule differs.
 */
export function firstDifference(previous: Plan, next: Plan): Instant | null {
  const boundaries = [
    ...new Set(['', ...previous.versions.map((v) => v.effectiveFrom), ...next.versions.map((v) => v.effectiveFrom)]),
  ].sort();
  const [was, will] = [foldStateNeeds(previous), foldStateNeeds(next)];
  if (was.capUsage !== will.capUsage || was.renewalCounts !== will.renewalCounts) return '';
  for (const at of boundaries) {
    const [a, b] = [versionAt(previous, at), versionAt(next, at)];
    if (pricingOf(a) !== pricingOf(b)) return at;
  }
  return null;
}

/** What prices lines: the version and its rules, less the renewal amount check (the command side's). */
function pricingOf(v: PlanVersion): string {
  const { renewalAmount: _check, ...pricing } = v.rules;
  return canonicalVersion({ ...v, rules: pricing });
}
export { parsePlan, type PlanResult } from './parse-plan.js';
