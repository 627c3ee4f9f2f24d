import { describe, expect, it } from '@jest/globals';
import { refusal } from '../../../test/support/refusal.js';
import { REP_RECRUITED, SALE_MADE, SUBSCRIPTION_STARTED } from '../events.js';
import { repState } from '../rep/rep.decider.js';
import { decideRecordSale, saleState, subscriptionClaim, type RecordSaleTerms } from './sale.decider.js';

const seller = repState([
  {
    type: REP_RECRUITED,
    data: { repId: 'ana', sponsorId: null, name: 'Ana', recruitedAt: '2024-01-01T00:00:00.000Z' },
  },
]);
const oneOff: RecordSaleTerms = {
  saleId: 'S-1',
  repId: 'ana',
  customerId: 'C-1',
  amount: '100.00',
  currency: 'USD',
  kind: 'single',
  subscriptionId: null,
  occurredAt: '2025-01-15T10:00:00.000Z',
};
const subscription: RecordSaleTerms = { ...oneOff, saleId: 'S-2', kind: 'subscription', subscriptionId: 'SUB-1' };
const claimBy = (terms: RecordSaleTerms) =>
  subscriptionClaim([
    {
      type: SUBSCRIPTION_STARTED,
      data: {
        subscriptionId: 'SUB-1',
        saleId: terms.saleId,
        repId: terms.repId,
        currency: terms.currency,
        startedAt: terms.occurredAt,
      },
    },
  ]);
const made = (terms: RecordSaleTerms) => saleState([{ type: SALE_MADE, data: terms }]);
const noSale = saleState([]);
const free = subscriptionClaim([]);

describe('recording a sale', () => {
  it('records a single sale in its own stream only', () => {
    expect(decideRecordSale(oneOff, noSale, seller, null)).toEqual({
      subscriptionEvents: [],
      saleEvents: [{ type: SALE_MADE, data: oneOff }],
    });
  });

  it('claims the subscription id, then records a subscription sale', () => {
    expect(decideRecordSale(subscription, noSale, seller, free)).toEqual({
      subscriptionEvents: [
        {
          type: SUBSCRIPTION_STARTED,
          data: {
            subscriptionId: 'SUB-1',
            saleId: 'S-2',
            repId: 'ana',
            currency: 'USD',
            startedAt: subscription.occurredAt,
          },
        },
      ],
      saleEvents: [{ type: SALE_MADE, data: subscription }],
    });
  });

  it('finishes a subscription sale interrupted after its claim, without claiming again', () => {
    expect(decideRecordSale(subscription, noSale, seller, claimBy(subscription))).toEqual({
      subscriptionEvents: [],
      saleEvents: [{ type: SALE_MADE, data: subscription }],
    });
  });

  it('decides nothing for a retried identical sale', () => {
    expect(decideRecordSale(subscription, made(subscription), seller, claimBy(subscription))).toEqual({
      subscriptionEvents: [],
      saleEvents: [],
    });
  });

  it('refuses the same sale id with another amount', () => {
    expect(refusal(() => decideRecordSale({ ...oneOff, amount: '100.01' }, made(oneOff), seller, null))).toBe(
      'SALE_ID_REUSED',
    );
  });

  it('refuses a subscription already started by another sale', () => {
    expect(
      refusal(() =>
        decideRecordSale({ ...subscription, saleId: 'S-9' }, noSale, seller, claimBy(subscription), made(subscription)),
      ),
    ).toBe('SUBSCRIPTION_ALREADY_STARTED');
  });

  it('refuses a subscription claimed by a sale not recorded yet', () => {
    const inFlight = { ...subscription, saleId: 'S-8' };
    expect(refusal(() => decideRecordSale(subscription, noSale, seller, claimBy(inFlight), noSale))).toBe(
      'SUBSCRIPTION_ALREADY_STARTED',
    );
  });

  it('claims a subscription id whose claim was left by a sale later recorded without it', () => {
    const orphaning = { ...subscription, saleId: 'S-8' };
    const recordedOtherwise = made({ ...orphaning, kind: 'single', subscriptionId: null });
    expect(
      decideRecordSale(subscription, noSale, seller, claimBy(orphaning), recordedOtherwise).subscriptionEvents,
    ).toEqual([
      {
        type: SUBSCRIPTION_STARTED,
        data: {
          subscriptionId: 'SUB-1',
          saleId: 'S-2',
          repId: 'ana',
          currency: 'USD',
          startedAt: subscription.occurredAt,
        },
      },
    ]);
  });

  it('refuses an unknown rep', () => {
    expect(refusal(() => decideRecordSale(oneOff, noSale, repState([]), null))).toBe('REP_UNKNOWN');
  });

  it('refuses a sale dated before its rep was recruited', () => {
    expect(
      refusal(() => decideRecordSale({ ...oneOff, occurredAt: '2023-12-31T23:59:59.999Z' }, noSale, seller, null)),
    ).toBe('SALE_BEFORE_RECRUITMENT');
  });
});
