import { describe, expect, it } from '@jest/globals';
import { refusal } from '../../../test/support/refusal.js';
import { AFFILIATE_CLICK_CONVERTED, REP_RECRUITED } from '../events.js';
import { repState } from '../rep/rep.decider.js';
import { conversionState, decideConvertClick, type ConvertClickTerms } from './conversion.decider.js';

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

describe('converting an affiliate click', () => {
  it('records the conversion', () => {
    expect(decideConvertClick(click, conversionState([]), affiliate)).toEqual([
      { type: AFFILIATE_CLICK_CONVERTED, data: click },
    ]);
  });

  it('decides nothing for a retried identical conversion', () => {
    expect(
      decideConvertClick(click, conversionState([{ type: AFFILIATE_CLICK_CONVERTED, data: click }]), affiliate),
    ).toEqual([]);
  });

  it('refuses the same click id with another order', () => {
    const state = conversionState([{ type: AFFILIATE_CLICK_CONVERTED, data: click }]);
    expect(refusal(() => decideConvertClick({ ...click, orderId: 'O-2' }, state, affiliate))).toBe('CLICK_ID_REUSED');
  });

  it('refuses an unknown affiliate', () => {
    expect(refusal(() => decideConvertClick(click, conversionState([]), repState([])))).toBe('AFFILIATE_UNKNOWN');
  });

  it('refuses a conversion dated before the affiliate registered', () => {
    expect(
      refusal(() =>
        decideConvertClick({ ...click, convertedAt: '2023-06-01T00:00:00.000Z' }, conversionState([]), affiliate),
      ),
    ).toBe('CONVERSION_BEFORE_REGISTRATION');
  });
});
