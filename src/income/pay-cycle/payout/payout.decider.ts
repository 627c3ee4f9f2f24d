// Payouts recorded back from the payment provider, against a closed period's payables. Pure.
import { LedgerError } from '../../../shared/errors.js';
import { PAYOUT_RECORDED, type PayoutEvent, type PayoutRecordedData, type SealedStatement } from '../../events.js';

/**
 * One payout per payable: it must match the sealed payable exactly (person, currency, amount). A
 * retry with the same provider reference decides nothing; another payout of the same payable is refused.
 */
export function decideRecordPayout(
  terms: PayoutRecordedData,
  payable: SealedStatement | undefined,
  events: readonly PayoutEvent[],
): PayoutEvent[] {
  const seen = events.find(
    (e) => e.type === PAYOUT_RECORDED && e.data.personId === terms.personId && e.data.currency === terms.currency,
  );
  if (seen !== undefined) {
    const recorded = seen.data as PayoutRecordedData;
    if (recorded.amount === terms.amount && recorded.providerReference === terms.providerReference) return [];
    throw new LedgerError(
      'PAYOUT_ALREADY_RECORDED',
      `the ${terms.currency} payable of ${terms.personId} for ${terms.period} was already paid (${recorded.providerReference})`,
      { providerReference: recorded.providerReference },
    );
  }
  if (payable === undefined || payable.payableReason !== 'paid' || payable.payable !== terms.amount) {
    throw new LedgerError(
      'PAYOUT_NOT_PAYABLE',
      `${terms.personId} has no ${terms.amount} ${terms.currency} payable for ${terms.period}`,
      { payable: payable?.payableReason === 'paid' ? payable.payable : null },
    );
  }
  return [{ type: PAYOUT_RECORDED, data: terms }];
}
