import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../ledger-streams.js';
import type { RecordSaleTerms } from './sale.decider.js';

export class RecordSale extends Command<CommandOutcome> {
  constructor(
    readonly terms: RecordSaleTerms,
    readonly context: CommandContext,
  ) {
    super();
  }
}
