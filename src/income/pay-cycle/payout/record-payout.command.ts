import { Command } from '@nestjs/cqrs';
import type { PayoutRecordedData } from '../../events.js';
import type { CommandContext, CommandOutcome } from '../../ledger-streams.js';

export class RecordPayout extends Command<CommandOutcome> {
  constructor(
    readonly terms: PayoutRecordedData,
    readonly context: CommandContext,
  ) {
    super();
  }
}
