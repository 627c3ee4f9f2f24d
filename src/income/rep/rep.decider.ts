import { LedgerError } from '../../shared/errors.js';
import { REP_RECRUITED, sameTerms, type LedgerEvent, type RepRecruitedData } from '../events.js';

export type RecruitRepTerms = RepRecruitedData;

export type RepState =
  { readonly status: 'unknown' } | { readonly status: 'recruited'; readonly rep: RepRecruitedData };

export function repState(events: readonly LedgerEvent[]): RepState {
  let state: RepState = { status: 'unknown' };
  for (const event of events) if (event.type === REP_RECRUITED) state = { status: 'recruited', rep: event.data };
  return state;
}

/**
 * Recruits a rep (or registers a root rep or affiliate, with no sponsor). A retry with the
 * same terms decides nothing; the same id with other terms is refused.
 */
export function decideRecruitRep(command: RecruitRepTerms, rep: RepState, sponsor: RepState | null): LedgerEvent[] {
  if (rep.status === 'recruited') {
    if (sameTerms(rep.rep, command)) return [];
    throw new LedgerError('REP_ID_REUSED', `rep ${command.repId} was already recruited with other details`);
  }
  if (command.sponsorId === command.repId) {
    throw new LedgerError('REP_SPONSORS_ITSELF', `rep ${command.repId} cannot be its own sponsor`);
  }
  if (command.sponsorId !== null) {
    if (sponsor === null || sponsor.status === 'unknown') {
      throw new LedgerError('SPONSOR_UNKNOWN', `sponsor ${command.sponsorId} is not a known rep`, {
        sponsorId: command.sponsorId,
      });
    }
    if (sponsor.rep.recruitedAt > command.recruitedAt) {
      throw new LedgerError(
        'SPONSOR_RECRUITED_LATER',
        `sponsor ${command.sponsorId} was recruited after ${command.recruitedAt}`,
        {
          sponsorRecruitedAt: sponsor.rep.recruitedAt,
        },
      );
    }
  }
  return [{ type: REP_RECRUITED, data: { ...command } }];
}
