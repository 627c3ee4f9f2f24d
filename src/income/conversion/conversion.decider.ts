import { LedgerError } from '../../shared/errors.js';
import type { RepState } from '../rep/rep.decider.js';
import { AFFILIATE_CLICK_CONVERTED, sameTerms, type AffiliateClickConvertedData, type LedgerEvent } from '../events.js';

export type ConvertClickTerms = AffiliateClickConvertedData;

export type ConversionState =
  { readonly status: 'unknown' } | { readonly status: 'converted'; readonly conversion: AffiliateClickConvertedData };

export function conversionState(events: readonly LedgerEvent[]): ConversionState {
  let state: ConversionState = { status: 'unknown' };
  for (const event of events)
    if (event.type === AFFILIATE_CLICK_CONVERTED) state = { status: 'converted', conversion: event.data };
  return state;
}

/** An affiliate is any registered person (POST /reps); a click converts once. */
export function decideConvertClick(
  command: ConvertClickTerms,
  conversion: ConversionState,
  affiliate: RepState,
): LedgerEvent[] {
  if (conversion.status === 'converted') {
    if (sameTerms(conversion.conversion, command)) return [];
    throw new LedgerError('CLICK_ID_REUSED', `click ${command.clickId} was already converted with other details`);
  }
  if (affiliate.status === 'unknown') {
    throw new LedgerError('AFFILIATE_UNKNOWN', `affiliate ${command.affiliateId} is not known`, {
      affiliateId: command.affiliateId,
    });
  }
  if (command.convertedAt < affiliate.rep.recruitedAt) {
    throw new LedgerError(
      'CONVERSION_BEFORE_REGISTRATION',
      `conversion dated ${command.convertedAt}, before affiliate ${command.affiliateId} was registered`,
      {
        registeredAt: affiliate.rep.recruitedAt,
      },
    );
  }
  return [{ type: AFFILIATE_CLICK_CONVERTED, data: { ...command } }];
}
