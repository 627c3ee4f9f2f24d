// A forecast of income: every future renewal of the subscriptions a scope earns on, priced by the
// income fold itself (so every rule of the plan prices it, with no second copy of the pricing) and
// weighted by the chance that the subscription is still paying then. Pure.
import type { PlanVersion } from '../plan/plan.js';
import { LedgerError } from '../../shared/errors.js';
import { ExpectedMoney, Weight, WeightedSum } from '../../shared/money.js';
import { prng } from '../../shared/prng.js';
import { addCalendarMonths, type Instant } from '../../shared/time.js';
import { SUBSCRIPTION_RENEWED, subscriptionStream, type RecordedLedgerEvent } from '../events.js';
import { foldEvent, type IncomeKind } from '../read-model/income.fold.js';
import { lifetimeOf, type LedgerAsOf, type Lifecycle } from './ledger-as-of.js';
import {
  conditionalSurvival,
  curveFor,
  resampledRetention,
  retentionOf,
  type Lifetime,
  type Retention,
} from './survival.js';

export type ForecastScope =
  | { readonly kind: 'person'; readonly personId: string }
  | { readonly kind: 'branch'; readonly personId: string }
  | { readonly kind: 'programme' };

export interface ForecastOptions {
  readonly horizonMonths: number;
  readonly seed: number;
  readonly resamples: number;
  /** The central share of the bootstrap shown as the band, in per cent: 80 gives the 10th and 90th percentiles. */
  readonly bandPercent: number;
}

export const KINDS: readonly IncomeKind[] = ['one-off', 'residual', 'passive'];

export interface ForecastMonth {
  readonly month: number;
  /** Exclusive. */
  readonly from: Instant;
  /** Inclusive. */
  readonly to: Instant;
  readonly byKind: ReadonlyMap<IncomeKind, ExpectedMoney>;
  readonly total: ExpectedMoney;
  readonly low: ExpectedMoney;
  readonly high: ExpectedMoney;
}

export interface CurrencyForecast {
  readonly currency: string;
  readonly months: readonly ForecastMonth[];
  /** resampled[b][k]: the total of month k + 1 under bootstrap draw b (for the valuation's band). */
  readonly resampled: readonly (readonly ExpectedMoney[])[];
}

export interface Forecast {
  readonly scope: ForecastScope;
  readonly position: string;
  /** null for a log with no business in it yet. */
  readonly asOfTime: Instant | null;
  readonly options: ForecastOptions;
  readonly retention: Retention;
  /** Subscriptions the scope earns on: still running (forecast), and ended. */
  readonly running: number;
  readonly ended: number;
  /** Future renewals priced through the income fold. */
  readonly renewalsPriced: number;
  readonly currencies: readonly CurrencyForecast[];
}

/** Future renewals one forecast prices through the fold at most; past it, ask for a narrower scope or horizon. */
export const FORECAST_RENEWALS_MAX = 1_000_000;

function tooManyRenewals(): LedgerError {
  return new LedgerError(
    'FORECAST_TOO_LARGE',
    `more than ${FORECAST_RENEWALS_MAX} future renewals to price: ask for a shorter horizon or a narrower scope`,
    { renewalsMax: FORECAST_RENEWALS_MAX },
  );
}

/** Future renewals priced, grouped by what their weight depends on. */
interface WeightGroup {
  readonly product: string;
  readonly paid: number;
  /** Renewals ahead of the last one paid. */
  readonly ahead: number;
  /** Known for certain: a cancellation dated after the as-of time lets these renewals still come. */
  readonly certain: boolean;
  /** `${month}|${currency}|${kind}` → minor units, exact. */
  readonly amounts: Map<string, bigint>;
}

export function forecast(ledger: LedgerAsOf, scope: ForecastScope, options: ForecastOptions): Forecast {
  return toTheEnd(forecastSteps(ledger, scope, options));
}

/** Renewals priced (or resamples weighed) between two pauses of a forecast made in steps. */
export const WORK_PER_STEP = 2_000;

/**
 * The same forecast, pausing (`yield`) every WORK_PER_STEP renewals priced and after each resample, so
 * that a caller can let other work run between steps. Pure: it only pauses; the ledger must not change
 * meanwhile.
 */
export function* forecastSteps(
  ledger: LedgerAsOf,
  scope: ForecastScope,
  options: ForecastOptions,
): Generator<void, Forecast> {
  if (ledger.asOfTime === '') return nothingYet(ledger, scope, options);
  const monthEnds = monthEndsAfter(ledger.asOfTime, options.horizonMonths);
  const horizon = monthEnds.length - 1;
  const lifetimes: Lifetime[] = [...ledger.lifecycles.values()].map((life) => lifetimeOf(life, ledger.asOfTime));
  const priced = yield* pricingSteps(ledger, scope, monthEnds);
  const retention = retentionOf(lifetimes);
  const pointWeights = weigher(retention, horizon);
  const currencies = [...new Set([...priced.groups.values()].flatMap((g) => [...g.amounts.keys()].map(currencyOf)))];
  currencies.sort();

  const random = prng(options.seed);
  const resampled: Map<string, ExpectedMoney[]>[] = [];
  for (let b = 0; b < options.resamples; b++) {
    resampled.push(monthTotals(priced.groups, weigher(resampledRetention(lifetimes, random), horizon), horizon));
    yield;
  }
  return {
    scope,
    position: ledger.position,
    asOfTime: ledger.asOfTime,
    options,
    retention,
    running: priced.running,
    ended: priced.ended,
    renewalsPriced: priced.renewalsPriced,
    currencies: currencies.map((currency) => {
      const draws = resampled.map((totals) => totals.get(currency) ?? zeros(currency, horizon));
      return {
        currency,
        months: monthsOf(priced.groups, pointWeights, currency, monthEnds, draws, options.bandPercent),
        resampled: draws,
      };
    }),
  };
}

/** A log with no business in it yet: nothing to forecast. */
function nothingYet(ledger: LedgerAsOf, scope: ForecastScope, options: ForecastOptions): Forecast {
  return {
    scope,
    position: ledger.position,
    asOfTime: null,
    options,
    retention: retentionOf([]),
    running: 0,
    ended: 0,
    renewalsPriced: 0,
    currencies: [],
  };
}

/**
 * The as-of time and the end of each month of the horizon after it. The ledger stores no instant past the
 * year 9999, so a horizon that would run past it stops there.
 */
export function monthEndsAfter(asOfTime: Instant, horizonMonths: number): Instant[] {
  const ends: Instant[] = [];
  for (let k = 0; k <= horizonMonths; k++) {
    const end = addCalendarMonths(asOfTime, k);
    if (end === null) break;
    ends.push(end);
  }
  return ends;
}

const currencyOf = (key: string): string => key.split('|')[1]!;
const zeros = (currency: string, horizon: number): ExpectedMoney[] =>
  Array.from({ length: horizon }, () => ExpectedMoney.zero(currency));

type Weigher = (group: WeightGroup) => Weight;
const CERTAIN = Weight.ofProbability(1);

/** The weight of a group of renewals under one retention estimate, memoized per product and age. */
function weigher(retention: Retention, horizon: number): Weigher {
  const memo = new Map<string, Weight[]>();
  return (group) => {
    if (group.certain) return CERTAIN;
    const key = `${group.product}|${group.paid}`;
    let weights = memo.get(key);
    if (weights === undefined) {
      weights = conditionalSurvival(curveFor(retention, group.product), group.paid, horizon).map((p) =>
        Weight.ofProbability(p),
      );
      memo.set(key, weights);
    }
    return weights[group.ahead - 1]!;
  };
}

function monthsOf(
  groups: ReadonlyMap<string, WeightGroup>,
  weightOf: Weigher,
  currency: string,
  monthEnds: readonly Instant[],
  draws: readonly (readonly ExpectedMoney[])[],
  bandPercent: number,
): ForecastMonth[] {
  const horizon = monthEnds.length - 1;
  const sums = new Map<string, WeightedSum>();
  for (const group of groups.values()) {
    const weight = weightOf(group);
    for (const [key, minor] of group.amounts) {
      if (currencyOf(key) !== currency) continue;
      let sum = sums.get(key);
      if (sum === undefined) sums.set(key, (sum = new WeightedSum(currency)));
      sum.add(minor, weight);
    }
  }
  const lowShare = (100 - bandPercent) / 200;
  return Array.from({ length: horizon }, (_, i) => {
    const month = i + 1;
    const byKind = new Map(
      KINDS.map((kind) => [kind, sums.get(`${month}|${currency}|${kind}`)?.total() ?? ExpectedMoney.zero(currency)]),
    );
    const total = [...byKind.values()].reduce((a, b) => a.plus(b));
    const sorted = draws.map((d) => d[i]!).sort((a, b) => a.compare(b));
    return {
      month,
      from: monthEnds[i]!,
      to: monthEnds[month]!,
      byKind,
      total,
      low: percentile(sorted, lowShare) ?? total,
      high: percentile(sorted, 1 - lowShare) ?? total,
    };
  });
}

/** Nearest-rank percentile of sorted values; undefined when there are none. */
export function percentile<T>(sorted: readonly T[], share: number): T | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(share * sorted.length - 1e-9)));
  return sorted[rank - 1];
}

/** Each currency's monthly totals (all kinds) under one set of weights. */
function monthTotals(
  groups: ReadonlyMap<string, WeightGroup>,
  weightOf: Weigher,
  horizon: number,
): Map<string, ExpectedMoney[]> {
  const sums = new Map<string, WeightedSum[]>();
  for (const group of groups.values()) {
    const weight = weightOf(group);
    for (const [key, minor] of group.amounts) {
      const [month, currency] = key.split('|') as [string, string];
      let perMonth = sums.get(currency);
      if (perMonth === undefined)
        sums.set(currency, (perMonth = Array.from({ length: horizon }, () => new WeightedSum(currency))));
      perMonth[Number(month) - 1]!.add(minor, weight);
    }
  }
  return new Map([...sums].map(([currency, perMonth]) => [currency, perMonth.map((s) => s.total())]));
}

/** Whose subscriptions can pay the scope (owners), and whose lines count (earners); null for everyone. */
function reachOf(
  ledger: LedgerAsOf,
  scope: ForecastScope,
): { owners: Set<string> | null; earners: Set<string> | null } {
  switch (scope.kind) {
    case 'person': {
      const levels = Math.max(...ledger.plan.versions.map(overrideDepth));
      return { owners: ledger.branch(scope.personId, levels), earners: new Set([scope.personId]) };
    }
    case 'branch': {
      const branch = ledger.branch(scope.personId, null);
      return { owners: branch, earners: branch };
    }
    case 'programme':
      return { owners: null, earners: null };
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

interface Priced {
  readonly groups: Map<string, WeightGroup>;
  readonly running: number;
  readonly ended: number;
  readonly renewalsPriced: number;
}

/** Runs steps to their end without pausing. */
function toTheEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Every renewal still to come within the horizon, through the income fold, kept where the scope earns. */
function* pricingSteps(
  ledger: LedgerAsOf,
  scope: ForecastScope,
  monthEnds: readonly Instant[],
  byEarner = false,
): Generator<void, Priced> {
  const { owners, earners } = reachOf(ledger, scope);
  const groups = new Map<string, WeightGroup>();
  let running = 0,
    ended = 0,
    renewalsPriced = 0;
  for (const life of ledger.lifecycles.values()) {
    if (owners !== null && !owners.has(life.ownerId)) continue;
    const lifetime = lifetimeOf(life, ledger.asOfTime);
    const certain = life.cancelledAt !== null;
    const ahead = certain ? lifetime.renewals - life.renewals : lifetime.ended ? 0 : monthEnds.length - 1;
    if (ahead <= 0) {
      ended += 1;
      continue;
    }
    running += 1;
    for (let j = 1; j <= ahead; j++) {
      const renewal = futureRenewal(ledger, life, life.renewals + j);
      const month = renewal === null ? null : monthOf(renewal.data.renewedAt, monthEnds);
      if (renewal === null || month === null) break;
      if (++renewalsPriced > FORECAST_RENEWALS_MAX) throw tooManyRenewals();
      if (renewalsPriced % WORK_PER_STEP === 0) yield;
      const key = `${life.product}|${life.renewals}|${j}|${certain}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = { product: life.product, paid: life.renewals, ahead: j, certain, amounts: new Map() };
        groups.set(key, group);
      }
      for (const line of foldEvent(renewal, ledger, ledger.plan).lines) {
        if (earners !== null && !earners.has(line.earnerId)) continue;
        const amountKey = `${month}|${line.currency}|${line.kind}${byEarner ? `|${line.earnerId}` : ''}`;
        const minor = line.amount.minorUnits;
        group.amounts.set(amountKey, (group.amounts.get(amountKey) ?? 0n) + minor);
      }
    }
  }
  return { groups, running, ended, renewalsPriced };
}

/** The renewal `number` of a subscription as the billing system would post it: monthly, at its last price. */
function futureRenewal(
  ledger: LedgerAsOf,
  life: Lifecycle,
  number: number,
): (RecordedLedgerEvent & { type: typeof SUBSCRIPTION_RENEWED }) | null {
  const renewedAt = addCalendarMonths(life.startedAt, number);
  if (renewedAt === null) return null; // past the year 9999
  return {
    type: SUBSCRIPTION_RENEWED,
    id: `forecast:${life.subscriptionId}:${number}`,
    stream: subscriptionStream(life.subscriptionId),
    revision: number,
    position: ledger.position,
    data: {
      subscriptionId: life.subscriptionId,
      renewalId: `forecast-${number}`,
      amount: life.lastAmount,
      currency: life.currency,
      renewedAt,
    },
  };
}

/** The forecast month (1-based) a business time falls in: (end of month k − 1, end of month k]; overdue → 1. */
function monthOf(at: Instant, monthEnds: readonly Instant[]): number | null {
  for (let k = 1; k < monthEnds.length; k++) if (at <= monthEnds[k]!) return k;
  return null;
}

/**
 * Everyone's expected income per month, point estimate only (no band), keyed `${earnerId}|${currency}`:
 * the backtest's forecast of each person at once, from one pricing of the whole programme.
 */
export function expectedByEarner(ledger: LedgerAsOf, horizonMonths: number): Map<string, ExpectedMoney[]> {
  const monthEnds = monthEndsAfter(ledger.asOfTime, horizonMonths);
  const priced = toTheEnd(pricingSteps(ledger, { kind: 'programme' }, monthEnds, true));
  const retention = retentionOf([...ledger.lifecycles.values()].map((life) => lifetimeOf(life, ledger.asOfTime)));
  const weightOf = weigher(retention, horizonMonths);
  const sums = new Map<string, WeightedSum[]>();
  for (const group of priced.groups.values()) {
    const weight = weightOf(group);
    for (const [key, minor] of group.amounts) {
      const [month, currency, , earnerId] = key.split('|') as [string, string, string, string];
      const at = `${earnerId}|${currency}`;
      let perMonth = sums.get(at);
      if (perMonth === undefined)
        sums.set(at, (perMonth = Array.from({ length: horizonMonths }, () => new WeightedSum(currency))));
      perMonth[Number(month) - 1]!.add(minor, weight);
    }
  }
  return new Map([...sums].map(([key, perMonth]) => [key, perMonth.map((s) => s.total())]));
}

/** The deepest upline level any product's override pays in a plan version, on a sale or a renewal. */
function overrideDepth(version: PlanVersion): number {
  const { default: byDefault, products } = version.rules.override;
  return Math.max(
    ...[byDefault, ...Object.values(products)].flatMap((rule) => [
      rule.sale.pays.length,
      ...rule.renewal.steps.map((step) => step.pays.length),
    ]),
  );
}
