import { LedgerError } from '../../shared/errors.js';
import type { RepState } from '../rep/rep.decider.js';
import {
  SALE_MADE,
  SUBSCRIPTION_STARTED,
  sameTerms,
  type LedgerEvent,
  type SaleMadeData,
  type SubscriptionStartedData,
} from '../events.js';

export type RecordSaleTerms = SaleMadeData;

export type SaleState = { readonly status: 'unknown' } | { readonly status: 'made'; readonly sale: SaleMadeData };

/** Who holds a subscription id: nobody yet, or the sale that claimed it. */
export type SubscriptionClaim =
  { readonly status: 'free' } | { readonly status: 'claimed'; readonly claim: SubscriptionStartedData };

export function saleState(events: readonly LedgerEvent[]): SaleState {
  let state: SaleState = { status: 'unknown' };
  for (const event of events) if (event.type === SALE_MADE) state = { status: 'made', sale: event.data };
  return state;
}

export function subscriptionClaim(events: readonly LedgerEvent[]): SubscriptionClaim {
  let state: SubscriptionClaim = { status: 'free' };
  for (const event of events) if (event.type === SUBSCRIPTION_STARTED) state = { status: 'claimed', claim: event.data };
  return state;
}

/**
 * A sale's events go to two streams, each atomic on its own: a subscription sale first claims
 * its subscription id (SubscriptionStarted in the subscription's stream), then records the sale
 * (SaleMade in the sale's stream). A retry after a crash between the two finds its own claim
 * and goes on to record the sale.
 */
export interface SaleDecision {
  readonly subscriptionEvents: LedgerEvent[];
  readonly saleEvents: LedgerEvent[];
}

/**
 * `subscription` is the claim on the sale's subscription id (null for a single sale);
 * `claimingSale` is the sale that holds that claim when it is another sale (else null).
 */
export function decideRecordSale(
  command: RecordSaleTerms,
  sale: SaleState,
  seller: RepState,
  subscription: SubscriptionClaim | null,
  claimingSale: SaleState | null = null,
): SaleDecision {
  if (sale.status === 'made') {
    if (sameTerms(sale.sale, command)) return { subscriptionEvents: [], saleEvents: [] };
    throw new LedgerError('SALE_ID_REUSED', `sale ${command.saleId} was already recorded with other details`);
  }
  if (seller.status === 'unknown') {
    throw new LedgerError('REP_UNKNOWN', `rep ${command.repId} is not known`, { repId: command.repId });
  }
  if (command.occurredAt < seller.rep.recruitedAt) {
    throw new LedgerError(
      'SALE_BEFORE_RECRUITMENT',
      `sale dated ${command.occurredAt}, before rep ${command.repId} was recruited`,
      {
        recruitedAt: seller.rep.recruitedAt,
      },
    );
  }
  const saleEvents: LedgerEvent[] = [{ type: SALE_MADE, data: { ...command } }];
  if (command.kind === 'single' || command.subscriptionId === null) return { subscriptionEvents: [], saleEvents };

  const claim: SubscriptionStartedData = {
    subscriptionId: command.subscriptionId,
    saleId: command.saleId,
    repId: command.repId,
    currency: command.currency,
    startedAt: command.occurredAt,
  };
  if (subscription === null || subscription.status === 'free') {
    return { subscriptionEvents: [{ type: SUBSCRIPTION_STARTED, data: claim }], saleEvents };
  }
  if (subscription.claim.saleId !== command.saleId) {
    const holder = claimingSale?.status === 'made' ? claimingSale.sale : null;
    // A claim whose sale was recorded without this subscription (it was interrupted, then
    // retried otherwise) holds nothing: this sale may claim the id in its place.
    if (holder !== null && holder.subscriptionId !== command.subscriptionId) {
      return { subscriptionEvents: [{ type: SUBSCRIPTION_STARTED, data: claim }], saleEvents };
    }
    throw new LedgerError(
      'SUBSCRIPTION_ALREADY_STARTED',
      holder === null
        ? `subscription ${command.subscriptionId} is claimed by sale ${subscription.claim.saleId}, which is not recorded yet`
        : `subscription ${command.subscriptionId} was already started by sale ${subscription.claim.saleId}`,
      { subscriptionId: command.subscriptionId, saleId: subscription.claim.saleId },
    );
  }
  if (!sameTerms(subscription.claim, claim)) {
    throw new LedgerError('SALE_ID_REUSED', `sale ${command.saleId} was already begun with other details`);
  }
  return { subscriptionEvents: [], saleEvents }; // our own claim, left by an interrupted attempt
}
