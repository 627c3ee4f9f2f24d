// How far ahead of the ledger's clock a fact may be dated. Pure: the time of recording is given.
import { LedgerError } from '../shared/errors.js';
import type { Instant } from '../shared/time.js';
import {
  AFFILIATE_CLICK_CONVERTED,
  AFFILIATE_ORDER_CLAIMED,
  REP_RECRUITED,
  SALE_MADE,
  SALE_REFUNDED,
  SUBSCRIPTION_CANCELLED,
  SUBSCRIPTION_RENEWED,
  SUBSCRIPTION_STARTED,
  type LedgerEvent,
} from './events.js';

/** The business time of an event (when its fact happened) and the field that carries it. */
export function businessTimeOf(event: LedgerEvent): { readonly field: string; readonly at: Instant } {
  switch (event.type) {
    case REP_RECRUITED:
      return { field: 'recruitedAt', at: event.data.recruitedAt };
    case SALE_MADE:
      return { field: 'occurredAt', at: event.data.occurredAt };
    case SUBSCRIPTION_STARTED:
      return { field: 'occurredAt', at: event.data.startedAt }; // the sale's occurredAt, as the caller wrote it
    case SUBSCRIPTION_RENEWED:
      return { field: 'renewedAt', at: event.data.renewedAt };
    case AFFILIATE_CLICK_CONVERTED:
      return { field: 'convertedAt', at: event.data.convertedAt };
    case AFFILIATE_ORDER_CLAIMED:
      return { field: 'convertedAt', at: event.data.convertedAt };
    case SALE_REFUNDED:
      return { field: 'refundedAt', at: event.data.refundedAt };
    case SUBSCRIPTION_CANCELLED:
      return { field: 'cancelledAt', at: event.data.cancelledAt };
    default: {
      const never: never = event;
      throw new Error(`no business time for ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Refuses an event whose fact is dated more than `futureMarginMs` after `recordedAt`, the time the ledger
 * records it. A fact from the future would count in today's income (a sale of 9999-12-31 is in every
 * total now); the margin allows for clocks that disagree and for time zones written wrongly.
 */
export function refuseFutureFact(event: LedgerEvent, recordedAt: Instant, futureMarginMs: number): void {
  const { field, at } = businessTimeOf(event);
  const latestMs = Date.parse(recordedAt) + futureMarginMs;
  if (Date.parse(at) <= latestMs) return;
  throw new LedgerError(
    'OCCURRED_IN_FUTURE',
    `${field} ${at} is more than ${futureMarginMs} ms after the time of recording, ${recordedAt}`,
    { field, recordedAt, futureMarginMs },
  );
}
