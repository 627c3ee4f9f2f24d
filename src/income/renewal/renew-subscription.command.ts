import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../ledger-streams.js';
import type { RenewSubscriptionTerms } from './renewal.decider.js';

export class RenewSubscription extends Command<CommandOutcome> {
  constructor(
    readonly terms: RenewSubscriptionTerms,
    readonly context: CommandContext,
  ) {
    super();
  }
}
