// The backtest: forecasts made as of earlier points of a log, compared with what the ledger then
// actually recorded over the next months, beside the naive baseline "next month equals this month".
// Pure: the events and the plan in, the error figures out.
import { Money } from '../../shared/money.js';
import { addCalendarMonths, type Instant } from '../../shared/time.js';
import { categoryOf } from '../../event-store/event-store.port.js';
import { SUBSCRIPTION_RENEWED, type RecordedLedgerEvent } from '../events.js';
import type { Plan } from '../plan/plan.js';
import { InMemoryLedger, type IncomeLine } from '../read-model/income.fold.js';
import { expectedByEarner, monthEndsAfter } from './forecast.js';
import { businessTimeOf, LedgerAsOf } from './ledger-as-of.js';

export const BACKTEST_HORIZON_MONTHS = 12;

/** Weighted MAPE: Σ |actual − predicted| / Σ actual, over every person-month (or month, for the total). */
export interface ErrorFigure {
  readonly absoluteError: bigint;
  readonly actual: bigint;
  /** null when nothing was actually recorded (the ratio is undefined). */
  readonly wmape: number | null;
}

export interface BacktestRow {
  readonly asOfTime: Instant;
  readonly position: string;
  readonly currency: string;
  readonly people: number;
  /** Totals over the horizon, in the currency's minor units. */
  readonly actual: string;
  readonly forecast: string;
  readonly baseline: string;
  readonly perPerson: { readonly forecast: ErrorFigure; readonly baseline: ErrorFigure };
  readonly total: { readonly forecast: ErrorFigure; readonly baseline: ErrorFigure };
}

/** Minor units per month, keyed `${earnerId}|${currency}`. */
type Series = Map<string, bigint[]>;

/**
 * For each cut-off business time: the forecast as of the last event of the log dated no later than it,
 * against the renewal income the subscriptions on the book then actually paid over the next 12 months.
 * What is compared is the recurring income of the book as it stood: renewals (and their overrides) of
 * subscriptions already sold; new subscriptions sold later are in neither side.
 */
export function backtest(
  events: readonly RecordedLedgerEvent[],
  plan: Plan,
  cutoffs: readonly Instant[],
): BacktestRow[] {
  const recorded = new InMemoryLedger(plan);
  for (const event of events) recorded.apply(event);
  const renewalLines = recorded.lines.filter((l) => l.source.eventType === SUBSCRIPTION_RENEWED);

  const rows: BacktestRow[] = [];
  const ledger = new LedgerAsOf(plan);
  const pending = [...cutoffs].sort();
  for (const event of events) {
    const at = businessTimeOf(event);
    while (pending.length > 0 && at !== null && at > pending[0]! && ledger.events > 0) {
      pending.shift();
      rows.push(...compare(ledger, renewalLines));
    }
    ledger.apply(event);
  }
  return rows;
}

function compare(ledger: LedgerAsOf, renewalLines: readonly IncomeLine[]): BacktestRow[] {
  const horizon = BACKTEST_HORIZON_MONTHS;
  const monthEnds = monthEndsAfter(ledger.asOfTime, horizon);
  const lastMonthFrom = addCalendarMonths(ledger.asOfTime, -1)!;
  const forecast: Series = new Map(
    [...expectedByEarner(ledger, horizon)].map(([key, months]) => [
      key,
      months.map((e) => BigInt(e.toMoney().toMinorUnits())),
    ]),
  );
  const actual: Series = new Map();
  const baseline: Series = new Map();
  for (const line of renewalLines) {
    const key = `${line.earnerId}|${line.currency}`;
    const minor = line.amount.minorUnits;
    if (line.occurredAt > lastMonthFrom && line.occurredAt <= ledger.asOfTime && known(line, ledger)) {
      const series = seriesAt(baseline, key, horizon);
      for (let k = 0; k < horizon; k++) series[k]! += minor; // next month (and every one after) = this month
    }
    const month = monthIndex(line.occurredAt, monthEnds);
    if (month === null || !ledger.lifecycles.has(subscriptionOf(line))) continue;
    seriesAt(actual, key, horizon)[month]! += minor;
  }
  return rowsByCurrency(ledger, actual, forecast, baseline);
}

/** A line the ledger had recorded by the cut-off (its position is not past it). */
function known(line: IncomeLine, ledger: LedgerAsOf): boolean {
  return BigInt(line.source.position) <= BigInt(ledger.position);
}

function subscriptionOf(line: IncomeLine): string {
  return line.source.stream.slice(categoryOf(line.source.stream).length + 1);
}

function seriesAt(series: Series, key: string, horizon: number): bigint[] {
  let found = series.get(key);
  if (found === undefined) series.set(key, (found = new Array<bigint>(horizon).fill(0n)));
  return found;
}

/** 0-based month of the horizon a business time falls in, (end of month k − 1, end of month k]; null outside. */
function monthIndex(at: Instant, monthEnds: readonly Instant[]): number | null {
  if (at <= monthEnds[0]!) return null;
  for (let k = 1; k < monthEnds.length; k++) if (at <= monthEnds[k]!) return k - 1;
  return null;
}

function rowsByCurrency(ledger: LedgerAsOf, actual: Series, forecast: Series, baseline: Series): BacktestRow[] {
  const keys = [...new Set([...actual.keys(), ...forecast.keys(), ...baseline.keys()])];
  const currencies = [...new Set(keys.map((k) => k.split('|')[1]!))].sort();
  return currencies.map((currency) => {
    const mine = keys.filter((k) => k.split('|')[1] === currency);
    const zero = new Array<bigint>(BACKTEST_HORIZON_MONTHS).fill(0n);
    const of = (series: Series) => mine.map((k) => series.get(k) ?? zero);
    const [a, f, b] = [of(actual), of(forecast), of(baseline)];
    const sumAll = (rows: bigint[][]) => rows.flat().reduce((x, y) => x + y, 0n);
    const money = (minor: bigint) => Money.fromMinorUnits(minor, currency).toString();
    return {
      asOfTime: ledger.asOfTime,
      position: ledger.position,
      currency,
      people: mine.length,
      actual: money(sumAll(a)),
      forecast: money(sumAll(f)),
      baseline: money(sumAll(b)),
      perPerson: { forecast: weightedMape(a, f), baseline: weightedMape(a, b) },
      total: {
        forecast: weightedMape([columnSums(a)], [columnSums(f)]),
        baseline: weightedMape([columnSums(a)], [columnSums(b)]),
      },
    };
  });
}

function columnSums(rows: readonly bigint[][]): bigint[] {
  return Array.from({ length: BACKTEST_HORIZON_MONTHS }, (_, k) => rows.reduce((s, r) => s + r[k]!, 0n));
}

/** Σ |a − p| / Σ a over matching cells of actual and predicted series. */
export function weightedMape(
  actual: readonly (readonly bigint[])[],
  predicted: readonly (readonly bigint[])[],
): ErrorFigure {
  let absoluteError = 0n,
    total = 0n;
  actual.forEach((row, i) =>
    row.forEach((a, k) => {
      const d = a - predicted[i]![k]!;
      absoluteError += d < 0n ? -d : d;
      total += a;
    }),
  );
  return { absoluteError, actual: total, wmape: total === 0n ? null : ratio(absoluteError, total) };
}

/** A ratio of two exact integers as a statistic (not money): to 6 decimals. */
function ratio(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 1_000_000n) / denominator) / 1_000_000;
}
