import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assert } from '../../../shared/errors.js';
import { eventIdFor } from '../../../shared/ids.js';
import { holdsStream, type PayoutEvent, type RecordedPayoutEvent } from '../../events.js';
import { retryOnConflict, type CommandContext, type CommandOutcome } from '../../ledger-streams.js';
import { PayCycleLog } from '../pay-cycle-log.js';
import { PayCycleService } from '../pay-cycle.service.js';
import { LiftHold, SetHold } from './hold.commands.js';
import { decideLiftHold, decideSetHold } from './hold.decider.js';

/** Load the holds register, decide, append after what was read (or answer with the recorded event). */
async function recordHold(
  log: PayCycleLog,
  decide: (events: readonly PayoutEvent[]) => PayoutEvent[],
  businessKey: string,
  type: string,
  context: CommandContext,
): Promise<CommandOutcome> {
  return retryOnConflict(async () => {
    const { revision, events } = await log.holds();
    const decided = decide(events);
    const event = decided[0];
    if (event === undefined) return existing(events, type, businessKey);
    return log.appendAfter(holdsStream(), event, businessKey, revision, context);
  });
}

function existing(events: readonly RecordedPayoutEvent[], type: string, businessKey: string): CommandOutcome {
  const id = eventIdFor(type, businessKey);
  const index = events.findIndex((e) => e.id === id);
  assert(index >= 0, `a repeated hold command found no event ${id}`);
  return { created: false, position: events[index]!.position, stream: holdsStream(), revision: index };
}

@CommandHandler(SetHold)
export class SetHoldHandler implements ICommandHandler<SetHold> {
  constructor(
    private readonly log: PayCycleLog,
    private readonly payCycle: PayCycleService,
  ) {}

  execute({ terms, context }: SetHold): Promise<CommandOutcome> {
    this.payCycle.assertKnownPerson(terms.personId);
    return recordHold(this.log, (e) => decideSetHold(terms, e), `hold:${terms.holdId}`, 'HoldSet', context);
  }
}

@CommandHandler(LiftHold)
export class LiftHoldHandler implements ICommandHandler<LiftHold> {
  constructor(private readonly log: PayCycleLog) {}

  execute({ terms, context }: LiftHold): Promise<CommandOutcome> {
    return recordHold(this.log, (e) => decideLiftHold(terms, e), `lift:${terms.holdId}`, 'HoldLifted', context);
  }
}
