import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { REP_RECRUITED, businessKey, repStream } from '../events.js';
import { LedgerStreams, retryOnConflict, type CommandOutcome } from '../ledger-streams.js';
import { RecruitRep } from './recruit-rep.command.js';
import { decideRecruitRep, repState } from './rep.decider.js';

@CommandHandler(RecruitRep)
export class RecruitRepHandler implements ICommandHandler<RecruitRep> {
  constructor(private readonly streams: LedgerStreams) {}

  execute({ terms, context }: RecruitRep): Promise<CommandOutcome> {
    return retryOnConflict(async () => {
      const rep = await this.streams.load(repStream(terms.repId));
      const sponsor = terms.sponsorId === null ? null : await this.streams.load(repStream(terms.sponsorId));
      const decided = decideRecruitRep(terms, repState(rep.events), sponsor === null ? null : repState(sponsor.events));
      return this.streams.record(rep, decided, REP_RECRUITED, businessKey.rep(terms.repId), context);
    });
  }
}
