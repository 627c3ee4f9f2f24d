import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  AFFILIATE_CLICK_CONVERTED,
  AFFILIATE_ORDER_CLAIMED,
  affiliateOrderStream,
  businessKey,
  conversionStream,
  repStream,
} from '../events.js';
import { LedgerStreams, retryOnConflict, type CommandOutcome } from '../ledger-streams.js';
import { repState } from '../rep/rep.decider.js';
import { ConvertClick } from './convert-click.command.js';
import { conversionState, decideConvertClick, orderClaim } from './conversion.decider.js';

@CommandHandler(ConvertClick)
export class ConvertClickHandler implements ICommandHandler<ConvertClick> {
  constructor(private readonly streams: LedgerStreams) {}

  execute({ terms, context }: ConvertClick): Promise<CommandOutcome> {
    return retryOnConflict(async () => {
      const conversion = await this.streams.load(conversionStream(terms.clickId));
      const affiliate = await this.streams.load(repStream(terms.affiliateId));
      const order = await this.streams.load(affiliateOrderStream(terms.orderId));
      const claim = orderClaim(order.events);
      const claimedByOther = claim.status === 'claimed' && claim.claim.clickId !== terms.clickId;
      const claimingConversion = claimedByOther
        ? conversionState((await this.streams.load(conversionStream(claim.claim.clickId))).events)
        : null;
      const decision = decideConvertClick(
        terms,
        conversionState(conversion.events),
        repState(affiliate.events),
        claim,
        claimingConversion,
      );
      if (decision.orderEvents.length > 0) {
        const key = businessKey.orderClaim(terms.orderId, terms.clickId);
        await this.streams.record(order, decision.orderEvents, AFFILIATE_ORDER_CLAIMED, key, context);
      }
      const key = businessKey.click(terms.clickId);
      return this.streams.record(conversion, decision.conversionEvents, AFFILIATE_CLICK_CONVERTED, key, context);
    });
  }
}
