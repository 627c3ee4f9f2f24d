import { describe, expect, it } from '@jest/globals';
import { refusal } from '../../../test/support/refusal.js';
import { SALE_MADE, SALE_REFUNDED, type SaleMadeData } from '../events.js';
import { decideRefundSale, refundableSale, type RefundSaleTerms } from './refund.decider.js';

const sale: SaleMadeData = {
  saleId: 'S-1',
  repId: 'ana',
  customerId: 'C-1',
  amount: '100.00',
  currency: 'USD',
  kind: 'single',
  subscriptionId: null,
  occurredAt: '2025-01-15T10:00:00.000Z',
};
const refund: RefundSaleTerms = {
  saleId: 'S-1',
  refundId: 'RF-1',
  amount: '40.00',
  currency: 'USD',
  reason: 'returned',
  refundedAt: '2025-02-01T10:00:00.000Z',
};
const made = { type: SALE_MADE, data: sale } as const;
const refundedBy = (terms: RefundSaleTerms) => ({ type: SALE_REFUNDED, data: terms }) as const;

describe('refunding a sale', () => {
  it('records a partial refund', () => {
    expect(decideRefundSale(refund, refundableSale([made]))).toEqual([{ type: SALE_REFUNDED, data: refund }]);
  });

  it('records refunds up to exactly the whole sale', () => {
    const rest = { ...refund, refundId: 'RF-2', amount: '60.00' };
    expect(decideRefundSale(rest, refundableSale([made, refundedBy(refund)]))).toEqual([
      { type: SALE_REFUNDED, data: rest },
    ]);
  });

  it('refuses a refund over what is left to refund', () => {
    const tooMuch = { ...refund, refundId: 'RF-2', amount: '60.01' };
    expect(refusal(() => decideRefundSale(tooMuch, refundableSale([made, refundedBy(refund)])))).toBe(
      'REFUND_EXCEEDS_SALE',
    );
  });

  it('decides nothing for a retried identical refund, even when nothing is left to refund', () => {
    const whole = { ...refund, amount: '100.00' };
    expect(decideRefundSale(whole, refundableSale([made, refundedBy(whole)]))).toEqual([]);
  });

  it('refuses the same refund id with another amount', () => {
    expect(
      refusal(() => decideRefundSale({ ...refund, amount: '41.00' }, refundableSale([made, refundedBy(refund)]))),
    ).toBe('REFUND_ID_REUSED');
  });

  it('refuses an unknown sale, another currency, and a date before the sale', () => {
    expect(refusal(() => decideRefundSale(refund, refundableSale([])))).toBe('SALE_UNKNOWN');
    expect(refusal(() => decideRefundSale({ ...refund, currency: 'EUR' }, refundableSale([made])))).toBe(
      'REFUND_CURRENCY_MISMATCH',
    );
    expect(
      refusal(() => decideRefundSale({ ...refund, refundedAt: '2025-01-15T09:59:59.999Z' }, refundableSale([made]))),
    ).toBe('REFUND_BEFORE_SALE');
  });
});
