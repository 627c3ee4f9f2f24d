import { describe, expect, it } from '@jest/globals';
import { PAYOUT_RECORDED, type PayoutRecordedData, type SealedStatement } from '../../events.js';
import { decideRecordPayout } from './payout.decider.js';

const payable = (amount: string, payableReason: SealedStatement['payableReason'] = 'paid') =>
  ({ personId: 'ana', currency: 'USD', payable: amount, payableReason }) as SealedStatement;
const payout = (amount: string, providerReference = 'PP-1'): PayoutRecordedData => ({
  period: '2025-03',
  personId: 'ana',
  currency: 'USD',
  amount,
  providerReference,
  operator: 'ops',
});

describe('recording a payout', () => {
  it('records a payout of exactly the payable', () => {
    expect(decideRecordPayout(payout('30.00'), payable('30.00'), [])).toEqual([
      { type: PAYOUT_RECORDED, data: payout('30.00') },
    ]);
  });

  it('decides nothing when the same payout is recorded again, and refuses a second one', () => {
    const recorded = [{ type: PAYOUT_RECORDED, data: payout('30.00') }] as const;
    expect(decideRecordPayout(payout('30.00'), payable('30.00'), recorded)).toEqual([]);
    expect(() => decideRecordPayout(payout('30.00', 'PP-2'), payable('30.00'), recorded)).toThrow(
      expect.objectContaining({ code: 'PAYOUT_ALREADY_RECORDED' }),
    );
  });

  it('refuses a payout that does not match a payable', () => {
    for (const [terms, sealed] of [
      [payout('29.99'), payable('30.00')],
      [payout('30.00'), payable('0.00', 'carried')],
      [payout('30.00'), undefined],
    ] as const)
      expect(() => decideRecordPayout(terms, sealed, [])).toThrow(
        expect.objectContaining({ code: 'PAYOUT_NOT_PAYABLE' }),
      );
  });
});
