import { describe, expect, it } from '@jest/globals';
import { refusal } from '../../test/support/refusal.js';
import { REP_RECRUITED, SUBSCRIPTION_STARTED } from './events.js';
import { refuseFutureFact } from './recording-window.js';

const DAY_MS = 86_400_000;
const recordedAt = '2026-03-01T12:00:00.000Z';
const recruitedAt = (at: string) =>
  ({ type: REP_RECRUITED, data: { repId: 'ana', sponsorId: null, name: 'Ana', recruitedAt: at } }) as const;

describe('facts dated past the time of recording', () => {
  it('takes a fact dated up to the margin past the time of recording, and refuses one a millisecond later', () => {
    expect(refusal(() => refuseFutureFact(recruitedAt('2026-03-02T12:00:00.000Z'), recordedAt, DAY_MS))).toBe(
      'decided',
    );
    expect(refusal(() => refuseFutureFact(recruitedAt('2026-03-02T12:00:00.001Z'), recordedAt, DAY_MS))).toBe(
      'OCCURRED_IN_FUTURE',
    );
  });

  it('takes any past fact, and with no margin refuses anything later than the time of recording', () => {
    expect(refusal(() => refuseFutureFact(recruitedAt('1990-01-01T00:00:00.000Z'), recordedAt, 0))).toBe('decided');
    expect(refusal(() => refuseFutureFact(recruitedAt('2026-03-01T12:00:00.001Z'), recordedAt, 0))).toBe(
      'OCCURRED_IN_FUTURE',
    );
  });

  it("judges a subscription's claim by its sale's date, so a future sale claims nothing", () => {
    const claim = {
      type: SUBSCRIPTION_STARTED,
      data: {
        subscriptionId: 'SUB-1',
        saleId: 'S-1',
        repId: 'ana',
        currency: 'USD',
        startedAt: '9999-12-31T00:00:00.000Z',
      },
    } as const;
    expect(refusal(() => refuseFutureFact(claim, recordedAt, DAY_MS))).toBe('OCCURRED_IN_FUTURE');
  });
});
