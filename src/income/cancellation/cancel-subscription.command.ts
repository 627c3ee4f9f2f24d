import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../ledger-streams.js';
import type { CancelSubscriptionTerms } from './cancellation.decider.js';

export class CancelSubscription extends Command<CommandOutcome> {
  constructor(
    readonly terms: CancelSubscriptionTerms,
    readonly context: CommandContext,
  ) {
    super();
  }
}
