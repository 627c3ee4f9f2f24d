import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../ledger-streams.js';
import type { RefundSaleTerms } from './refund.decider.js';

export class RefundSale extends Command<CommandOutcome> {
  constructor(
    readonly terms: RefundSaleTerms,
    readonly context: CommandContext,
  ) {
    super();
  }
}
