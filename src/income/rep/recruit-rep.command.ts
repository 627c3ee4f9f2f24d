import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../ledger-streams.js';
import type { RecruitRepTerms } from './rep.decider.js';

export class RecruitRep extends Command<CommandOutcome> {
  constructor(
    readonly terms: RecruitRepTerms,
    readonly context: CommandContext,
  ) {
    super();
  }
}
