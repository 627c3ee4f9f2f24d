import { describe, expect, it } from '@jest/globals';
import { defaultPlan } from '../../../test/support/ledger-dsl.js';
import { refusal } from '../../../test/support/refusal.js';
import { subscriptionSale as sale, subscriptionStarted as started } from '../../../test/support/subscription-given.js';
import { SUBSCRIPTION_CANCELLED, SUBSCRIPTION_RENEWED } from '../events.js';
import { decideRenewSubscription, subscriptionState } from '../renewal/renewal.decider.js';
import { decideCancelSubscription, type CancelSubscriptionTerms } from './cancellation.decider.js';

const cancellation: CancelSubscriptionTerms = {
  subscriptionId: 'SUB-1',
  reason: 'customer left',
  cancelledAt: '2025-06-01T00:00:00.000Z',
};
const cancelledState = subscriptionState([started, { type: SUBSCRIPTION_CANCELLED, data: cancellation }]);
const renewal = (renewedAt: string) => ({
  subscriptionId: 'SUB-1',
  renewalId: `R-${renewedAt}`,
  amount: '30.00',
  currency: 'USD',
  renewedAt,
});

describe('cancelling a subscription', () => {
  it('records the cancellation', () => {
    expect(decideCancelSubscription(cancellation, subscriptionState([started]), sale)).toEqual([
      { type: SUBSCRIPTION_CANCELLED, data: cancellation },
    ]);
  });

  it('decides nothing for a retried identical cancellation, and refuses another one', () => {
    expect(decideCancelSubscription(cancellation, cancelledState, sale)).toEqual([]);
    expect(
      refusal(() =>
        decideCancelSubscription({ ...cancellation, cancelledAt: '2025-07-01T00:00:00.000Z' }, cancelledState, sale),
      ),
    ).toBe('SUBSCRIPTION_ALREADY_CANCELLED');
  });

  it('refuses an unknown subscription and a date before the sale', () => {
    expect(refusal(() => decideCancelSubscription(cancellation, subscriptionState([]), null))).toBe(
      'SUBSCRIPTION_UNKNOWN',
    );
    expect(
      refusal(() =>
        decideCancelSubscription(
          { ...cancellation, cancelledAt: '2025-01-01T00:00:00.000Z' },
          subscriptionState([started]),
          sale,
        ),
      ),
    ).toBe('CANCELLATION_BEFORE_SALE');
  });

  it('refuses a cancellation dated at or before a renewal already recorded, and takes one after it', () => {
    const renewed = subscriptionState([
      started,
      { type: SUBSCRIPTION_RENEWED, data: renewal('2025-06-15T10:00:00.000Z') },
      { type: SUBSCRIPTION_RENEWED, data: renewal('2025-05-15T10:00:00.000Z') },
    ]);
    for (const cancelledAt of ['2025-06-01T00:00:00.000Z', '2025-06-15T10:00:00.000Z'])
      expect(refusal(() => decideCancelSubscription({ ...cancellation, cancelledAt }, renewed, sale))).toBe(
        'CANCELLATION_BEFORE_RENEWALS',
      );
    const after = { ...cancellation, cancelledAt: '2025-06-15T10:00:00.001Z' };
    expect(decideCancelSubscription(after, renewed, sale)).toEqual([{ type: SUBSCRIPTION_CANCELLED, data: after }]);
  });

  it('then refuses renewals dated from the cancellation on, and still takes earlier ones that arrive late', () => {
    expect(
      refusal(() => decideRenewSubscription(renewal('2025-06-01T00:00:00.000Z'), cancelledState, sale, defaultPlan())),
    ).toBe('SUBSCRIPTION_CANCELLED');
    expect(
      refusal(() => decideRenewSubscription(renewal('2025-05-15T10:00:00.000Z'), cancelledState, sale, defaultPlan())),
    ).toBe('decided');
  });
});
