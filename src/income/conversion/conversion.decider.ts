import { LedgerError } from '../../shared/errors.js';
import type { RepState } from '../rep/rep.decider.js';
import {
  AFFILIATE_CLICK_CONVERTED,
  AFFILIATE_ORDER_CLAIMED,
  sameTerms,
  type AffiliateClickConvertedData,
  type AffiliateOrderClaimedData,
  type LedgerEvent,
} from '../events.js';

export type ConvertClickTerms = AffiliateClickConvertedData;

export type ConversionState =
  { readonly status: 'unknown' } | { readonly status: 'converted'; readonly conversion: AffiliateClickConvertedData };

/** Who holds an order id: nobody yet, or the click whose conversion claimed it. */
export type OrderClaim =
  { readonly status: 'free' } | { readonly status: 'claimed'; readonly claim: AffiliateOrderClaimedData };

export function conversionState(events: readonly LedgerEvent[]): ConversionState {
  let state: ConversionState = { status: 'unknown' };
  for (const event of events)
    if (event.type === AFFILIATE_CLICK_CONVERTED) state = { status: 'converted', conversion: event.data };
  return state;
}

export function orderClaim(events: readonly LedgerEvent[]): OrderClaim {
  let state: OrderClaim = { status: 'free' };
  for (const event of events)
    if (event.type === AFFILIATE_ORDER_CLAIMED) state = { status: 'claimed', claim: event.data };
  return state;
}

/**
 * A conversion's events go to two streams, each atomic on its own, as a subscription sale's do: it first
 * claims its order id (AffiliateOrderClaimed in the order's stream), then records the conversion
 * (AffiliateClickConverted in the click's stream). A retry after a crash between the two finds its own
 * claim and goes on to record the conversion.
 */
export interface ConversionDecision {
  readonly orderEvents: LedgerEvent[];
  readonly conversionEvents: LedgerEvent[];
}

/**
 * An affiliate is any registered person (POST /reps); a click converts once, and so does an order.
 * `claimingConversion` is the conversion of the click that holds the order's claim when that is another
 * click (else null).
 */
export function decideConvertClick(
  command: ConvertClickTerms,
  conversion: ConversionState,
  affiliate: RepState,
  order: OrderClaim,
  claimingConversion: ConversionState | null = null,
): ConversionDecision {
  if (conversion.status === 'converted') {
    if (sameTerms(conversion.conversion, command)) return { orderEvents: [], conversionEvents: [] };
    throw new LedgerError('CLICK_ID_REUSED', `click ${command.clickId} was already converted with other details`);
  }
  if (affiliate.status === 'unknown') {
    throw new LedgerError('AFFILIATE_UNKNOWN', `affiliate ${command.affiliateId} is not known`, {
      affiliateId: command.affiliateId,
    });
  }
  if (command.convertedAt < affiliate.rep.recruitedAt) {
    throw new LedgerError(
      'CONVERSION_BEFORE_REGISTRATION',
      `conversion dated ${command.convertedAt}, before affiliate ${command.affiliateId} was registered`,
      {
        registeredAt: affiliate.rep.recruitedAt,
      },
    );
  }
  const conversionEvents: LedgerEvent[] = [{ type: AFFILIATE_CLICK_CONVERTED, data: { ...command } }];
  return { orderEvents: decideOrderClaim(command, order, claimingConversion), conversionEvents };
}

/** The claim to write on the order before the conversion: none when this click already holds it. */
function decideOrderClaim(
  command: ConvertClickTerms,
  order: OrderClaim,
  claimingConversion: ConversionState | null,
): LedgerEvent[] {
  const claim: AffiliateOrderClaimedData = {
    orderId: command.orderId,
    clickId: command.clickId,
    affiliateId: command.affiliateId,
    convertedAt: command.convertedAt,
  };
  if (order.status === 'free') return [{ type: AFFILIATE_ORDER_CLAIMED, data: claim }];
  if (order.claim.clickId === command.clickId) {
    if (sameTerms(order.claim, claim)) return []; // our own claim, left by an interrupted attempt
    throw new LedgerError('CLICK_ID_REUSED', `click ${command.clickId} was already begun with other details`);
  }
  const holder = claimingConversion?.status === 'converted' ? claimingConversion.conversion : null;
  // A claim whose click was then converted with another order (it was interrupted, then retried
  // otherwise) holds nothing: this click may claim the order in its place.
  if (holder !== null && holder.orderId !== command.orderId) return [{ type: AFFILIATE_ORDER_CLAIMED, data: claim }];
  throw new LedgerError(
    'ORDER_ALREADY_CONVERTED',
    holder === null
      ? `order ${command.orderId} is claimed by click ${order.claim.clickId}, whose conversion is not recorded yet`
      : `order ${command.orderId} was already converted under click ${order.claim.clickId}`,
    { orderId: command.orderId, clickId: order.claim.clickId },
  );
}
