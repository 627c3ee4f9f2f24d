import { describe, expect, it } from '@jest/globals';
import { HOLD_LIFTED, HOLD_SET, type HoldLiftedData, type HoldSetData } from '../../events.js';
import { decideLiftHold, decideSetHold } from './hold.decider.js';

const set = (setAt = '2025-03-01T00:00:00.000Z'): HoldSetData => ({
  personId: 'dan',
  holdId: 'H-1',
  reason: 'review',
  operator: 'ops',
  setAt,
});
const lift = (outcome: 'release' | 'forfeit'): HoldLiftedData => ({
  personId: 'dan',
  holdId: 'H-1',
  outcome,
  reason: 'done',
  operator: 'ops',
  liftedAt: '2025-04-01T00:00:00.000Z',
});

describe('holds on a person', () => {
  it('sets a hold once; a retry (even at another time) decides nothing; the id for another person is refused', () => {
    expect(decideSetHold(set(), [])).toEqual([{ type: HOLD_SET, data: set() }]);
    const history = [{ type: HOLD_SET, data: set() }] as const;
    expect(decideSetHold(set('2025-03-02T00:00:00.000Z'), history)).toEqual([]);
    expect(() => decideSetHold({ ...set(), personId: 'ana' }, history)).toThrow(
      expect.objectContaining({ code: 'HOLD_ID_REUSED' }),
    );
  });

  it('lifts a hold once, releasing or forfeiting; lifting it otherwise afterwards is refused', () => {
    const history = [{ type: HOLD_SET, data: set() }] as const;
    expect(decideLiftHold(lift('forfeit'), history)).toEqual([{ type: HOLD_LIFTED, data: lift('forfeit') }]);
    const lifted = [...history, { type: HOLD_LIFTED, data: lift('forfeit') }] as const;
    expect(decideLiftHold(lift('forfeit'), lifted)).toEqual([]);
    expect(() => decideLiftHold(lift('release'), lifted)).toThrow(
      expect.objectContaining({ code: 'HOLD_ALREADY_LIFTED' }),
    );
    expect(() => decideLiftHold(lift('release'), [])).toThrow(expect.objectContaining({ code: 'HOLD_UNKNOWN' }));
  });
});
