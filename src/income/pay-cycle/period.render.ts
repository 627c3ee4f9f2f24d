// Sealed statements (or a preview of them) as JSON totals and as CSV. Pure.
import { csvDocument } from '../../shared/csv.js';
import type { SealedStatement } from '../events.js';
import { amountOf, minorOf } from './period-figures.js';

export interface CurrencyTotals {
  readonly currency: string;
  readonly opening: string;
  readonly earned: string;
  readonly notQualified: string;
  readonly adjustments: string;
  readonly closing: string;
}

export function adjustmentsOf(s: SealedStatement): bigint {
  return s.adjustments.reduce((sum, a) => sum + minorOf(a.amount, s.currency), 0n);
}

/** Sums of every statement per currency, in currency order. */
export function totalsOf(statements: readonly SealedStatement[]): CurrencyTotals[] {
  const sums = new Map<string, bigint[]>();
  for (const s of statements) {
    const m = (a: string) => minorOf(a, s.currency);
    const row = sums.get(s.currency) ?? [0n, 0n, 0n, 0n, 0n];
    [m(s.opening), m(s.earned), m(s.notQualified), adjustmentsOf(s), m(s.closing)].forEach((v, i) => (row[i]! += v));
    sums.set(s.currency, row);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, [opening, earned, notQualified, adjustments, closing]]) => ({
      currency,
      opening: amountOf(opening!, currency),
      earned: amountOf(earned!, currency),
      notQualified: amountOf(notQualified!, currency),
      adjustments: amountOf(adjustments!, currency),
      closing: amountOf(closing!, currency),
    }));
}

/** The reference a payout batch gives each payable; the provider's own reference comes back with the payout. */
export const payableReference = (period: string, s: SealedStatement): string => `${period}.${s.personId}.${s.currency}`;

/** The payables of a closed period in the shape mass-payout tools import. */
export function payoutBatchCsv(period: string, statements: readonly SealedStatement[]): string {
  return csvDocument([
    ['person', 'amount', 'currency', 'reference'],
    ...statements
      .filter((s) => s.payableReason === 'paid')
      .map((s) => [s.personId, s.payable, s.currency, payableReference(period, s)]),
  ]);
}

/** One row per person and currency (adjustments summed; their detail is in the JSON). */
export function statementsCsv(statements: readonly SealedStatement[]): string {
  return csvDocument([
    [
      'personId',
      'currency',
      'qualified',
      'personalVolume',
      'opening',
      'earned',
      'notQualified',
      'adjustments',
      'closing',
      'paidBefore',
      'forfeited',
      'heldForRefundWindow',
      'held',
      'carried',
      'payable',
      'payableReason',
    ],
    ...statements.map((s) => [
      s.personId,
      s.currency,
      s.qualified ? 'yes' : 'no',
      s.personalVolume,
      s.opening,
      s.earned,
      s.notQualified,
      amountOf(adjustmentsOf(s), s.currency),
      s.closing,
      s.paidBefore,
      s.forfeited,
      s.heldForRefundWindow,
      s.held,
      s.carried,
      s.payable,
      s.payableReason,
    ]),
  ]);
}
