import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SALE_REFUNDED, businessKey, saleStream } from '../events.js';
import { LedgerStreams, retryOnConflict, type CommandOutcome } from '../ledger-streams.js';
import { RefundSale } from './refund-sale.command.js';
import { decideRefundSale, refundableSale } from './refund.decider.js';

@CommandHandler(RefundSale)
export class RefundSaleHandler implements ICommandHandler<RefundSale> {
  constructor(private readonly streams: LedgerStreams) {}

  execute({ terms, context }: RefundSale): Promise<CommandOutcome> {
    return retryOnConflict(async () => {
      const sale = await this.streams.load(saleStream(terms.saleId));
      const decided = decideRefundSale(terms, refundableSale(sale.events));
      return this.streams.record(
        sale,
        decided,
        SALE_REFUNDED,
        businessKey.refund(terms.saleId, terms.refundId),
        context,
      );
    });
  }
}
