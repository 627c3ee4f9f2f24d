import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assert } from '../../../shared/errors.js';
import { eventIdFor } from '../../../shared/ids.js';
import { PAYOUT_RECORDED, payoutsStream } from '../../events.js';
import { retryOnConflict, type CommandOutcome } from '../../ledger-streams.js';
import { PayCycleLog } from '../pay-cycle-log.js';
import { PayCycleService, notClosed } from '../pay-cycle.service.js';
import { decideRecordPayout } from './payout.decider.js';
import { RecordPayout } from './record-payout.command.js';

@CommandHandler(RecordPayout)
export class RecordPayoutHandler implements ICommandHandler<RecordPayout> {
  constructor(
    private readonly log: PayCycleLog,
    private readonly payCycle: PayCycleService,
  ) {}

  execute({ terms, context }: RecordPayout): Promise<CommandOutcome> {
    const key = `payout:${terms.period}/${terms.personId}/${terms.currency}`;
    return retryOnConflict(async () => {
      const close = await this.payCycle.closeOf(terms.period);
      if (close === undefined) throw notClosed(terms.period);
      const sealed = await this.payCycle.sealed(close);
      const payable = sealed.statements.find((s) => s.personId === terms.personId && s.currency === terms.currency);
      const { revision, events } = await this.log.payouts(terms.period);
      const decided = decideRecordPayout(terms, payable, events);
      const event = decided[0];
      if (event !== undefined) return this.log.appendAfter(payoutsStream(terms.period), event, key, revision, context);
      const index = events.findIndex((e) => e.id === eventIdFor(PAYOUT_RECORDED, key));
      assert(index >= 0, `a repeated payout found no event for ${key}`);
      return {
        created: false,
        position: events[index]!.position,
        stream: payoutsStream(terms.period),
        revision: index,
      };
    });
  }
}
