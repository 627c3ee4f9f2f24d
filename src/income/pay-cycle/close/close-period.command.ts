import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../ledger-streams.js';

export interface ClosePeriodOutcome extends CommandOutcome {
  readonly statementDigest: string;
}

export class ClosePeriod extends Command<ClosePeriodOutcome> {
  constructor(
    readonly period: string,
    readonly operator: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
