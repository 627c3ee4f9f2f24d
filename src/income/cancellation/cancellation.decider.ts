import { LedgerError } from '../../shared/errors.js';
import {
  SUBSCRIPTION_CANCELLED,
  sameTerms,
  type LedgerEvent,
  type SaleMadeData,
  type SubscriptionCancelledData,
} from '../events.js';
import type { SubscriptionState } from '../renewal/renewal.decider.js';

export type CancelSubscriptionTerms = SubscriptionCancelledData;

/** Cancels a subscription whose sale is recorded: no renewal dated from `cancelledAt` on is accepted. */
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
  return [{ type: SUBSCRIPTION_CANCELLED, data: { ...command } }];
}
