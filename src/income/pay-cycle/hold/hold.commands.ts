import { Command } from '@nestjs/cqrs';
import type { HoldLiftedData, HoldSetData } from '../../events.js';
import type { CommandContext, CommandOutcome } from '../../ledger-streams.js';

export class SetHold extends Command<CommandOutcome> {
  constructor(
    readonly terms: HoldSetData,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class LiftHold extends Command<CommandOutcome> {
  constructor(
    readonly terms: HoldLiftedData,
    readonly context: CommandContext,
  ) {
    super();
  }
}
