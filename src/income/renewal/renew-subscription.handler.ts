import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { LoadedPlan } from '../plan/plan-file.js';
import { LOADED_PLAN } from '../plan/plan.module.js';
import { SUBSCRIPTION_RENEWED, businessKey } from '../events.js';
import { LedgerStreams, retryOnConflict, type CommandOutcome } from '../ledger-streams.js';
import { loadSubscription } from './load-subscription.js';
import { RenewSubscription } from './renew-subscription.command.js';
import { decideRenewSubscription } from './renewal.decider.js';

@CommandHandler(RenewSubscription)
export class RenewSubscriptionHandler implements ICommandHandler<RenewSubscription> {
  constructor(
    private readonly streams: LedgerStreams,
    @Inject(LOADED_PLAN) private readonly plan: LoadedPlan,
  ) {}

  execute({ terms, context }: RenewSubscription): Promise<CommandOutcome> {
    return retryOnConflict(async () => {
      const { loaded, state, sale } = await loadSubscription(this.streams, terms.subscriptionId);
      const decided = decideRenewSubscription(terms, state, sale, this.plan.plan);
      return this.streams.record(
        loaded,
        decided,
        SUBSCRIPTION_RENEWED,
        businessKey.renewal(terms.subscriptionId, terms.renewalId),
        context,
      );
    });
  }
}
