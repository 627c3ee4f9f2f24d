import { describe, expect, it } from '@jest/globals';
import { refusal } from '../../../test/support/refusal.js';
import { defaultPlan, planWith } from '../../../test/support/ledger-dsl.js';
import { subscriptionSale as sale, subscriptionStarted as started } from '../../../test/support/subscription-given.js';
import { SUBSCRIPTION_RENEWED } from '../events.js';
import { decideRenewSubscription, subscriptionState, type RenewSubscriptionTerms } from './renewal.decider.js';

const plan = defaultPlan();
const renewal: RenewSubscriptionTerms = {
  subscriptionId: 'SUB-1',
  renewalId: 'R-1',
  amount: '30.00',
  currency: 'USD',
  renewedAt: '2025-02-15T10:00:00.000Z',
};

describe('renewing a subscription', () => {
  it('records a renewal of a subscription whose sale is recorded', () => {
    expect(decideRenewSubscription(renewal, subscriptionState([started]), sale, plan)).toEqual([
      { type: SUBSCRIPTION_RENEWED, data: renewal },
    ]);
  });

  it('decides nothing for a retried identical renewal', () => {
    expect(
      decideRenewSubscription(
        renewal,
        subscriptionState([started, { type: SUBSCRIPTION_RENEWED, data: renewal }]),
        sale,
        plan,
      ),
    ).toEqual([]);
  });

  it('refuses the same renewal id with another amount', () => {
    const state = subscriptionState([started, { type: SUBSCRIPTION_RENEWED, data: renewal }]);
    expect(refusal(() => decideRenewSubscription({ ...renewal, amount: '31.00' }, state, sale, plan))).toBe(
      'RENEWAL_ID_REUSED',
    );
  });

  it('refuses an unknown subscription', () => {
    expect(refusal(() => decideRenewSubscription(renewal, subscriptionState([]), null, plan))).toBe(
      'SUBSCRIPTION_UNKNOWN',
    );
  });

  it('refuses a subscription whose sale was claimed but never recorded', () => {
    expect(refusal(() => decideRenewSubscription(renewal, subscriptionState([started]), null, plan))).toBe(
      'SUBSCRIPTION_UNKNOWN',
    );
  });

  it('refuses a subscription whose claiming sale was recorded without it', () => {
    expect(
      refusal(() =>
        decideRenewSubscription(
          renewal,
          subscriptionState([started]),
          {
            ...sale,
            kind: 'single',
            subscriptionId: null,
          },
          plan,
        ),
      ),
    ).toBe('SUBSCRIPTION_UNKNOWN');
  });

  it('refuses another currency than the subscription', () => {
    expect(
      refusal(() => decideRenewSubscription({ ...renewal, currency: 'EUR' }, subscriptionState([started]), sale, plan)),
    ).toBe('RENEWAL_CURRENCY_MISMATCH');
  });

  it('refuses a renewal dated before the sale, and accepts one at the same instant', () => {
    const state = subscriptionState([started]);
    expect(
      refusal(() => decideRenewSubscription({ ...renewal, renewedAt: '2025-01-15T09:59:59.999Z' }, state, sale, plan)),
    ).toBe('RENEWAL_BEFORE_SALE');
    expect(refusal(() => decideRenewSubscription({ ...renewal, renewedAt: sale.occurredAt }, state, sale, plan))).toBe(
      'decided',
    );
  });

  it("refuses a renewal above the plan's maximum ratio to its sale's amount, per product, and takes one at it", () => {
    const limited = planWith({
      renewalAmount: { default: { maxRatioToSale: '1.5' }, products: { BIG: { maxRatioToSale: '10' } } },
    });
    const state = subscriptionState([started]);
    // 30.00 × 1.5 = 45.00: exactly at the limit is taken, a cent more is refused
    expect(refusal(() => decideRenewSubscription({ ...renewal, amount: '45.00' }, state, sale, limited))).toBe(
      'decided',
    );
    expect(refusal(() => decideRenewSubscription({ ...renewal, amount: '45.01' }, state, sale, limited))).toBe(
      'RENEWAL_EXCEEDS_SALE_RATIO',
    );
    const big = { ...sale, productCode: 'BIG' };
    expect(refusal(() => decideRenewSubscription({ ...renewal, amount: '300.00' }, state, big, limited))).toBe(
      'decided',
    );
    // without the rule (the default plan) any amount is taken
    expect(refusal(() => decideRenewSubscription({ ...renewal, amount: '1000000' }, state, sale, plan))).toBe(
      'decided',
    );
  });
});
