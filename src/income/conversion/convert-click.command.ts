import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../ledger-streams.js';
import type { ConvertClickTerms } from './conversion.decider.js';

export class ConvertClick extends Command<CommandOutcome> {
  constructor(
    readonly terms: ConvertClickTerms,
    readonly context: CommandContext,
  ) {
    super();
  }
}
