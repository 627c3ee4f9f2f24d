import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SUBSCRIPTION_CANCELLED, businessKey, saleStream, subscriptionStream } from '../events.js';
import { LedgerStreams, retryOnConflict, type CommandOutcome } from '../ledger-streams.js';
import { subscriptionState } from '../renewal/renewal.decider.js';
import { saleState } from '../sale/sale.decider.js';
import { CancelSubscription } from './cancel-subscription.command.js';
import { decideCancelSubscription } from './cancellation.decider.js';

@CommandHandler(CancelSubscription)
export class CancelSubscriptionHandler implements ICommandHandler<CancelSubscription> {
  constructor(private readonly streams: LedgerStreams) {}

  execute({ terms, context }: CancelSubscription): Promise<CommandOutcome> {
    return retryOnConflict(async () => {
      const subscription = await this.streams.load(subscriptionStream(terms.subscriptionId));
      const state = subscriptionState(subscription.events);
      const sale = state.started === null ? null : saleState((await this.streams.load(saleStream(state.started.saleId))).events);
      const decided = decideCancelSubscription(terms, state, sale?.status === 'made' ? sale.sale : null);
      return this.streams.record(subscription, decided, SUBSCRIPTION_CANCELLED, businessKey.cancellation(terms.subscriptionId), context);
    });
  }
}
