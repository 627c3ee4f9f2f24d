import { describe, expect, it } from '@jest/globals';
import { refusal } from '../../../test/support/refusal.js';
import { REP_RECRUITED } from '../events.js';
import { decideRecruitRep, repState, type RecruitRepTerms } from './rep.decider.js';

const ana: RecruitRepTerms = { repId: 'ana', sponsorId: null, name: 'Ana', recruitedAt: '2024-01-01T00:00:00.000Z' };
const ben: RecruitRepTerms = { repId: 'ben', sponsorId: 'ana', name: 'Ben', recruitedAt: '2024-02-01T00:00:00.000Z' };
const recruited = (terms: RecruitRepTerms) => repState([{ type: REP_RECRUITED, data: terms }]);
const nobody = repState([]);

describe('recruiting a rep', () => {
  it('records a root rep with no sponsor', () => {
    expect(decideRecruitRep(ana, nobody, null)).toEqual([{ type: REP_RECRUITED, data: ana }]);
  });

  it('records a rep under a known sponsor', () => {
    expect(decideRecruitRep(ben, nobody, recruited(ana))).toEqual([{ type: REP_RECRUITED, data: ben }]);
  });

  it('decides nothing when the same rep is recruited again with the same details', () => {
    expect(decideRecruitRep(ben, recruited(ben), recruited(ana))).toEqual([]);
  });

  it('refuses the same rep id with other details', () => {
    expect(refusal(() => decideRecruitRep({ ...ben, name: 'Benjamin' }, recruited(ben), recruited(ana)))).toBe(
      'REP_ID_REUSED',
    );
  });

  it('refuses an unknown sponsor', () => {
    expect(refusal(() => decideRecruitRep(ben, nobody, nobody))).toBe('SPONSOR_UNKNOWN');
  });

  it('refuses a rep naming itself as its sponsor', () => {
    expect(refusal(() => decideRecruitRep({ ...ben, sponsorId: 'ben' }, nobody, nobody))).toBe('REP_SPONSORS_ITSELF');
  });

  it('refuses a sponsor recruited after the rep', () => {
    expect(
      refusal(() => decideRecruitRep({ ...ben, recruitedAt: '2023-12-31T23:59:59.999Z' }, nobody, recruited(ana))),
    ).toBe('SPONSOR_RECRUITED_LATER');
  });
});
