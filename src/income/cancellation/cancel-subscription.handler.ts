import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SUBSCRIPTION_CANCELLED, businessKey } from '../events.js';
import { LedgerStreams, retryOnConflict, type CommandOutcome } from '../ledger-streams.js';
import { loadSubscription } from '../renewal/load-subscription.js';
import { CancelSubscription } from './cancel-subscription.command.js';
import { decideCancelSubscription } from './cancellation.decider.js';

@CommandHandler(CancelSubscription)
export class CancelSubscriptionHandler implements ICommandHandler<CancelSubscription> {
  constructor(private readonly streams: LedgerStreams) {}

  execute({ terms, context }: CancelSubscription): Promise<CommandOutcome> {
    return retryOnConflict(async () => {
      const { loaded, state, sale } = await loadSubscription(this.streams, terms.subscriptionId);
      const decided = decideCancelSubscription(terms, state, sale);
      return this.streams.record(
        loaded,
        decided,
        SUBSCRIPTION_CANCELLED,
        businessKey.cancellation(terms.subscriptionId),
        context,
      );
    });
  }
}
