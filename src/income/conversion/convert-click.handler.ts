import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AFFILIATE_CLICK_CONVERTED, businessKey, conversionStream, repStream } from '../events.js';
import { LedgerStreams, retryOnConflict, type CommandOutcome } from '../ledger-streams.js';
import { repState } from '../rep/rep.decider.js';
import { ConvertClick } from './convert-click.command.js';
import { conversionState, decideConvertClick } from './conversion.decider.js';

@CommandHandler(ConvertClick)
export class ConvertClickHandler implements ICommandHandler<ConvertClick> {
  constructor(private readonly streams: LedgerStreams) {}

  execute({ terms, context }: ConvertClick): Promise<CommandOutcome> {
    return retryOnConflict(async () => {
      const conversion = await this.streams.load(conversionStream(terms.clickId));
      const affiliate = await this.streams.load(repStream(terms.affiliateId));
      const decided = decideConvertClick(terms, conversionState(conversion.events), repState(affiliate.events));
      return this.streams.record(
        conversion,
        decided,
        AFFILIATE_CLICK_CONVERTED,
        businessKey.click(terms.clickId),
        context,
      );
    });
  }
}
