import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SALE_MADE, SUBSCRIPTION_STARTED, businessKey, repStream, saleStream, subscriptionStream } from '../events.js';
import { LedgerStreams, retryOnConflict, type CommandOutcome } from '../ledger-streams.js';
import { repState } from '../rep/rep.decider.js';
import { RecordSale } from './record-sale.command.js';
import { decideRecordSale, saleState, subscriptionClaim } from './sale.decider.js';

@CommandHandler(RecordSale)
export class RecordSaleHandler implements ICommandHandler<RecordSale> {
  constructor(private readonly streams: LedgerStreams) {}

  execute({ terms, context }: RecordSale): Promise<CommandOutcome> {
    return retryOnConflict(async () => {
      const sale = await this.streams.load(saleStream(terms.saleId));
      const seller = await this.streams.load(repStream(terms.repId));
      const subscription =
        terms.subscriptionId === null ? null : await this.streams.load(subscriptionStream(terms.subscriptionId));
      const claim = subscription === null ? null : subscriptionClaim(subscription.events);
      const claimedByOther =
        claim?.status === 'claimed' && claim.claim.saleId !== terms.saleId ? claim.claim.saleId : null;
      const claimingSale =
        claimedByOther === null ? null : saleState((await this.streams.load(saleStream(claimedByOther))).events);
      const decision = decideRecordSale(terms, saleState(sale.events), repState(seller.events), claim, claimingSale);
      if (subscription !== null && decision.subscriptionEvents.length > 0) {
        const key = businessKey.subscriptionStart(terms.subscriptionId!, terms.saleId);
        await this.streams.record(subscription, decision.subscriptionEvents, SUBSCRIPTION_STARTED, key, context);
      }
      return this.streams.record(sale, decision.saleEvents, SALE_MADE, businessKey.sale(terms.saleId), context);
    });
  }
}
