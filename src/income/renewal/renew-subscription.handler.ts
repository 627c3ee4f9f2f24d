import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SUBSCRIPTION_RENEWED, businessKey, saleStream, subscriptionStream } from '../events.js';
import { LedgerStreams, retryOnConflict, type CommandOutcome } from '../ledger-streams.js';
import { saleState } from '../sale/sale.decider.js';
import { RenewSubscription } from './renew-subscription.command.js';
import { decideRenewSubscription, subscriptionState } from './renewal.decider.js';

@CommandHandler(RenewSubscription)
export class RenewSubscriptionHandler implements ICommandHandler<RenewSubscription> {
  constructor(private readonly streams: LedgerStreams) {}

  execute({ terms, context }: RenewSubscription): Promise<CommandOutcome> {
    return retryOnConflict(async () => {
      const subscription = await this.streams.load(subscriptionStream(terms.subscriptionId));
      const state = subscriptionState(subscription.events);
      const sale = state.started === null ? null : saleState((await this.streams.load(saleStream(state.started.saleId))).events);
      const decided = decideRenewSubscription(terms, state, sale?.status === 'made' ? sale.sale : null);
      const key = businessKey.renewal(terms.subscriptionId, terms.renewalId);
      return this.streams.record(subscription, decided, SUBSCRIPTION_RENEWED, key, context);
    });
  }
}
