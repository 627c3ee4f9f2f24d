// The subscription most decider specs start from: ana sold SUB-1 to C-1 for 30.00 USD on 15 January 2025.
import { SUBSCRIPTION_STARTED, type SaleMadeData } from '../../src/income/events.js';

export const subscriptionSale: SaleMadeData = {
  saleId: 'S-1',
  repId: 'ana',
  customerId: 'C-1',
  amount: '30.00',
  currency: 'USD',
  kind: 'subscription',
  subscriptionId: 'SUB-1',
  occurredAt: '2025-01-15T10:00:00.000Z',
};

/** The SubscriptionStarted event that sale recorded. */
export const subscriptionStarted = {
  type: SUBSCRIPTION_STARTED,
  data: {
    subscriptionId: 'SUB-1',
    saleId: 'S-1',
    repId: 'ana',
    currency: 'USD',
    startedAt: subscriptionSale.occurredAt,
  },
} as const;
