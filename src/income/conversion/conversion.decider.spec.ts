import { describe, expect, it } from '@jest/globals';
import { refusal } from '../../../test/support/refusal.js';
import { AFFILIATE_CLICK_CONVERTED, AFFILIATE_ORDER_CLAIMED, REP_RECRUITED } from '../events.js';
import { repState } from '../rep/rep.decider.js';
import { conversionState, decideConvertClick, orderClaim, type ConvertClickTerms } from './conversion.decider.js';

const affiliate = repState([
  {
    type: REP_RECRUITED,
    data: { repId: 'fay', sponsorId: null, name: 'Fay', recruitedAt: '2024-01-01T00:00:00.000Z' },
  },
]);
const click: ConvertClickTerms = {
  clickId: 'K-1',
  affiliateId: 'fay',
  orderId: 'O-1',
  amount: '19.99',
  currency: 'EUR',
  convertedAt: '2025-03-04T10:00:00.000Z',
};
const claimOf = (terms: ConvertClickTerms) => ({
  orderId: terms.orderId,
  clickId: terms.clickId,
  affiliateId: terms.affiliateId,
  convertedAt: terms.convertedAt,
});
const claimedBy = (terms: ConvertClickTerms) => orderClaim([{ type: AFFILIATE_ORDER_CLAIMED, data: claimOf(terms) }]);
const converted = (terms: ConvertClickTerms) => conversionState([{ type: AFFILIATE_CLICK_CONVERTED, data: terms }]);
const notConverted = conversionState([]);
const free = orderClaim([]);

describe('converting an affiliate click', () => {
  it('claims the order, then records the conversion', () => {
    expect(decideConvertClick(click, notConverted, affiliate, free)).toEqual({
      orderEvents: [{ type: AFFILIATE_ORDER_CLAIMED, data: claimOf(click) }],
      conversionEvents: [{ type: AFFILIATE_CLICK_CONVERTED, data: click }],
    });
  });

  it('decides nothing for a retried identical conversion', () => {
    expect(decideConvertClick(click, converted(click), affiliate, claimedBy(click))).toEqual({
      orderEvents: [],
      conversionEvents: [],
    });
  });

  it('finishes a conversion interrupted after its claim, without claiming again', () => {
    expect(decideConvertClick(click, notConverted, affiliate, claimedBy(click))).toEqual({
      orderEvents: [],
      conversionEvents: [{ type: AFFILIATE_CLICK_CONVERTED, data: click }],
    });
  });

  it('refuses the same click id with another order', () => {
    expect(refusal(() => decideConvertClick({ ...click, orderId: 'O-2' }, converted(click), affiliate, free))).toBe(
      'CLICK_ID_REUSED',
    );
  });

  it('refuses an order already converted under another click id', () => {
    const other = { ...click, clickId: 'K-2' };
    expect(refusal(() => decideConvertClick(other, notConverted, affiliate, claimedBy(click), converted(click)))).toBe(
      'ORDER_ALREADY_CONVERTED',
    );
  });

  it('refuses an order claimed by a click whose conversion is not recorded yet', () => {
    const other = { ...click, clickId: 'K-2' };
    expect(refusal(() => decideConvertClick(other, notConverted, affiliate, claimedBy(click), notConverted))).toBe(
      'ORDER_ALREADY_CONVERTED',
    );
  });

  it('claims an order whose claim was left by a click later converted with another order', () => {
    const other = { ...click, clickId: 'K-2' };
    const convertedOtherwise = converted({ ...click, orderId: 'O-9' });
    expect(
      decideConvertClick(other, notConverted, affiliate, claimedBy(click), convertedOtherwise).orderEvents,
    ).toEqual([{ type: AFFILIATE_ORDER_CLAIMED, data: claimOf(other) }]);
  });

  it('refuses a click whose own claim was begun with other details', () => {
    const claim = claimedBy({ ...click, convertedAt: '2025-03-05T10:00:00.000Z' });
    expect(refusal(() => decideConvertClick(click, notConverted, affiliate, claim))).toBe('CLICK_ID_REUSED');
  });

  it('refuses an unknown affiliate', () => {
    expect(refusal(() => decideConvertClick(click, notConverted, repState([]), free))).toBe('AFFILIATE_UNKNOWN');
  });

  it('refuses a conversion dated before the affiliate registered', () => {
    expect(
      refusal(() =>
        decideConvertClick({ ...click, convertedAt: '2023-06-01T00:00:00.000Z' }, notConverted, affiliate, free),
      ),
    ).toBe('CONVERSION_BEFORE_REGISTRATION');
  });
});
