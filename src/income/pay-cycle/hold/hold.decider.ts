// Holds on a person: set and lifted by an operator, as events. Pure.
import { LedgerError } from '../../../shared/errors.js';
import {
  HOLD_LIFTED,
  HOLD_SET,
  sameTerms,
  type HoldLiftedData,
  type HoldSetData,
  type PayoutEvent,
} from '../../events.js';

/** A retried hold decides nothing; a hold id used for another person or reason is refused. */
export function decideSetHold(terms: HoldSetData, events: readonly PayoutEvent[]): PayoutEvent[] {
  const seen = events.find((e) => e.type === HOLD_SET && e.data.holdId === terms.holdId);
  if (seen === undefined) return [{ type: HOLD_SET, data: terms }];
  const { setAt: _a, ...asked } = terms;
  const { setAt: _b, ...recorded } = seen.data as HoldSetData;
  if (sameTerms(asked, recorded)) return [];
  throw new LedgerError('HOLD_ID_REUSED', `hold ${terms.holdId} was already set with other details`, {
    holdId: terms.holdId,
  });
}

/** A hold is lifted once, releasing or forfeiting what it kept; a retry with the same outcome decides nothing. */
export function decideLiftHold(terms: HoldLiftedData, events: readonly PayoutEvent[]): PayoutEvent[] {
  const set = events.find((e) => e.type === HOLD_SET && e.data.holdId === terms.holdId);
  if (set === undefined || set.data.personId !== terms.personId)
    throw new LedgerError('HOLD_UNKNOWN', `no hold ${terms.holdId} on ${terms.personId}`, { holdId: terms.holdId });
  const lifted = events.find((e) => e.type === HOLD_LIFTED && e.data.holdId === terms.holdId);
  if (lifted === undefined) return [{ type: HOLD_LIFTED, data: terms }];
  if ((lifted.data as HoldLiftedData).outcome === terms.outcome) return [];
  throw new LedgerError(
    'HOLD_ALREADY_LIFTED',
    `hold ${terms.holdId} was already lifted (${(lifted.data as HoldLiftedData).outcome})`,
    {
      holdId: terms.holdId,
    },
  );
}
