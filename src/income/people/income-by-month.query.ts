// A person's income per calendar month (UTC, business time), currency and kind: the console's chart,
// and the same figures for integrators. Sums are SQLite integer sums of minor units: exact.
import { Money } from '../../shared/money.js';
import type { IncomeKind } from '../read-model/income.fold.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { Period } from './income-totals.query.js';

export interface MonthIncome {
  /** `YYYY-MM`, the UTC calendar month of the lines' business time. */
  readonly month: string;
  readonly currency: string;
  readonly oneOff: string;
  readonly residual: string;
  readonly passive: string;
  /** residual + passive: the income that recurs without new work. */
  readonly recurring: string;
  readonly total: string;
}

interface MonthRow {
  month: string;
  currency: string;
  kind: IncomeKind;
  minor: bigint;
}

/** Sorts after every canonical instant: the open end of a period. */
const END_OF_TIME = '~';

const BY_MONTH_SQL = `SELECT substr(occurred_at, 1, 7) AS month, currency, kind, SUM(amount_minor) AS minor
  FROM income_lines WHERE earner_id = ? AND occurred_at >= ? AND occurred_at < ?
  GROUP BY month, currency, kind ORDER BY month, currency`;

/** One row per month and currency the person earned in, in month then currency order. */
export function incomeByMonth(readModel: ReadModel, personId: string, period: Period): MonthIncome[] {
  const rows = readModel
    .prepareQuery<[string, string, string], MonthRow>(BY_MONTH_SQL)
    .all(personId, period.from ?? '', period.to ?? END_OF_TIME);
  const sums = new Map<string, { month: string; currency: string } & Record<IncomeKind, bigint>>();
  for (const row of rows) {
    const key = `${row.month} ${row.currency}`;
    const entry = sums.get(key) ?? {
      month: row.month,
      currency: row.currency,
      'one-off': 0n,
      residual: 0n,
      passive: 0n,
    };
    entry[row.kind] += row.minor;
    sums.set(key, entry);
  }
  return [...sums.values()].map((m) => {
    const money = (minor: bigint) => Money.fromMinorUnits(minor, m.currency).toString();
    return {
      month: m.month,
      currency: m.currency,
      oneOff: money(m['one-off']),
      residual: money(m.residual),
      passive: money(m.passive),
      recurring: money(m.residual + m.passive),
      total: money(m['one-off'] + m.residual + m.passive),
    };
  });
}
