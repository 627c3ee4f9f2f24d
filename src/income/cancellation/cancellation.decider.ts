import { LedgerError } from '../../shared/errors.js';
import {
  SUBSCRIPTION_CANCELLED,
  sameTerms,
  type LedgerEvent,
  type SaleMadeData,
  type SubscriptionCancelledData,
  type SubscriptionRenewedData,
} from '../events.js';
import type { SubscriptionState } from '../renewal/renewal.decider.js';

export type CancelSubscriptionTerms = SubscriptionCancelledData;

/**
 * Cancels a subscription whose sale is recorded: no renewal dated from `cancelledAt` on is accepted, so
 * none may be recorded already.
 */
export function decideCancelSubscription(
  command: CancelSubscriptionTerms,
  subscription: SubscriptionState,
  sale: SaleMadeData | null,
): LedgerEvent[] {
  if (subscription.cancelled !== null) {
    if (sameTerms(subscription.cancelled, command)) return [];
    throw new LedgerError(
      'SUBSCRIPTION_ALREADY_CANCELLED',
      `subscription ${command.subscriptionId} was already cancelled on ${subscription.cancelled.cancelledAt}`,
      {
        cancelledAt: subscription.cancelled.cancelledAt,
      },
    );
  }
  if (subscription.started === null || sale === null || sale.subscriptionId !== command.subscriptionId) {
    throw new LedgerError('SUBSCRIPTION_UNKNOWN', `subscription ${command.subscriptionId} is not known`, {
      subscriptionId: command.subscriptionId,
    });
  }
  if (command.cancelledAt < sale.occurredAt) {
    throw new LedgerError(
      'CANCELLATION_BEFORE_SALE',
      `cancellation dated ${command.cancelledAt}, before the subscription's sale on ${sale.occurredAt}`,
      {
        saleOccurredAt: sale.occurredAt,
      },
    );
  }
  const latest = latestRenewal(subscription);
  // Refused rather than reversing those renewals' lines: a renewal recorded is a payment that happened,
  // and the ledger has no fact that takes one back; the caller dates the cancellation after it.
  if (latest !== null && latest.renewedAt >= command.cancelledAt) {
    throw new LedgerError(
      'CANCELLATION_BEFORE_RENEWALS',
      `cancellation dated ${command.cancelledAt}, at or before renewal ${latest.renewalId} of ${latest.renewedAt}, already recorded`,
      { latestRenewal: { renewalId: latest.renewalId, renewedAt: latest.renewedAt } },
    );
  }
  return [{ type: SUBSCRIPTION_CANCELLED, data: { ...command } }];
}

function latestRenewal(subscription: SubscriptionState): SubscriptionRenewedData | null {
  let latest: SubscriptionRenewedData | null = null;
  for (const renewal of subscription.renewals.values())
    if (latest === null || renewal.renewedAt > latest.renewedAt) latest = renewal;
  return latest;
}
