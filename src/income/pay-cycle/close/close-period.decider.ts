// Whether a period may close now. Pure: the clock arrives in the command.
import { LedgerError } from '../../../shared/errors.js';
import type { Instant } from '../../../shared/time.js';
import type { PeriodClosedData } from '../../events.js';
import { nextPeriod, type PeriodBounds } from '../period.js';

export interface ClosePeriodTerms {
  readonly bounds: PeriodBounds;
  readonly operator: string;
  /** When the operator asked (the command's clock). */
  readonly now: Instant;
}

export type CloseDecision = { readonly kind: 'closed-already'; readonly index: number } | { readonly kind: 'close' };

/**
 * Periods close in order, each once and for good: a repeated close decides nothing; a period that
 * is not the one after the last closed, or has not ended yet, is refused.
 */
export function decideClosePeriod(terms: ClosePeriodTerms, closes: readonly PeriodClosedData[]): CloseDecision {
  const index = closes.findIndex((c) => c.period === terms.bounds.period);
  if (index >= 0) return { kind: 'closed-already', index };
  assertNext(terms.bounds.period, closes);
  if (terms.now < terms.bounds.to) {
    throw new LedgerError(
      'PERIOD_NOT_ENDED',
      `period ${terms.bounds.period} ends at ${terms.bounds.to}; close it after`,
      {
        period: terms.bounds.period,
        endsAt: terms.bounds.to,
      },
    );
  }
  return { kind: 'close' };
}

/** A preview or a close is of the period after the last closed (any period, before the first close). */
export function assertNext(period: string, closes: readonly PeriodClosedData[]): void {
  const last = closes[closes.length - 1];
  if (last === undefined || period === nextPeriod(last.period)) return;
  throw new LedgerError(
    'PERIOD_NOT_NEXT',
    period < last.period
      ? `period ${period} is before the last closed period ${last.period}, and was never closed`
      : `periods close in order: the next to close is ${nextPeriod(last.period)}`,
    { period, next: nextPeriod(last.period) },
  );
}
