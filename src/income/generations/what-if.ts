// The what-if report: what a candidate plan would pay each person, next to what the current
// read model pays, over the same events.
import type { Position } from '../../event-store/event-store.port.js';
import { csvDocument } from '../../shared/csv.js';
import { Money } from '../../shared/money.js';
import type { IncomeKind } from '../read-model/income.fold.js';

export interface WhatIfRow {
  readonly personId: string;
  readonly currency: string;
  readonly kind: IncomeKind;
  readonly old: string;
  readonly new: string;
  readonly difference: string;
}

export interface WhatIfReport {
  /** Both read models are compared over the events up to this position. */
  readonly upTo: Position | null;
  readonly currentPlan: string;
  readonly candidatePlan: string;
  /** Per person, currency and kind: every row either plan pays anything on. */
  readonly rows: WhatIfRow[];
  /** The company-wide payout change, per currency. */
  readonly companyWide: { currency: string; old: string; new: string; difference: string }[];
  /**
   * Per rule and currency, how many events earned nothing from a fixed-amount rule because it names
   * no amount in their currency, under each plan.
   */
  readonly unpriced: { rule: string; currency: string; old: number; new: number }[];
}

/** Compares two sets of totals keyed `person \0 currency \0 kind` (minor units). */
export function compareTotals(
  current: ReadonlyMap<string, bigint>,
  candidate: ReadonlyMap<string, bigint>,
  plans: { current: string; candidate: string },
  upTo: Position | null,
  unpriced: { current: ReadonlyMap<string, number>; candidate: ReadonlyMap<string, number> } = {
    current: new Map(),
    candidate: new Map(),
  },
): WhatIfReport {
  const keys = [...new Set([...current.keys(), ...candidate.keys()])].sort();
  const company = new Map<string, { old: bigint; new: bigint }>();
  const rows = keys.map((key): WhatIfRow => {
    const [personId, currency, kind] = key.split('\u0000') as [string, string, IncomeKind];
    const [before, after] = [current.get(key) ?? 0n, candidate.get(key) ?? 0n];
    const sum = company.get(currency) ?? { old: 0n, new: 0n };
    company.set(currency, { old: sum.old + before, new: sum.new + after });
    const money = (minor: bigint) => Money.fromMinorUnits(minor, currency).toString();
    return { personId, currency, kind, old: money(before), new: money(after), difference: money(after - before) };
  });
  const companyWide = [...company.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, sum]) => {
      const money = (minor: bigint) => Money.fromMinorUnits(minor, currency).toString();
      return { currency, old: money(sum.old), new: money(sum.new), difference: money(sum.new - sum.old) };
    });
  const unpricedRows = [...new Set([...unpriced.current.keys(), ...unpriced.candidate.keys()])].sort().map((key) => {
    const [rule, currency] = key.split('\u0000') as [string, string];
    return { rule, currency, old: unpriced.current.get(key) ?? 0, new: unpriced.candidate.get(key) ?? 0 };
  });
  return {
    upTo,
    currentPlan: plans.current,
    candidatePlan: plans.candidate,
    rows,
    companyWide,
    unpriced: unpricedRows,
  };
}

/** The per-person rows as CSV, then the company-wide rows with person `*`. */
export function whatIfCsv(report: WhatIfReport): string {
  return csvDocument([
    ['personId', 'currency', 'kind', 'old', 'new', 'difference'],
    ...report.rows.map((r) => [r.personId, r.currency, r.kind, r.old, r.new, r.difference]),
    ...report.companyWide.map((c) => ['*', c.currency, 'all', c.old, c.new, c.difference]),
  ]);
}
