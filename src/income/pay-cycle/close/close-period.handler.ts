import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../shared/clock.js';
import { assert } from '../../../shared/errors.js';
import { closesStream, type PeriodClosedData } from '../../events.js';
import { retryOnConflict } from '../../ledger-streams.js';
import { PayCycleLog, chunked, type RecordedClose } from '../pay-cycle-log.js';
import { PayCycleService } from '../pay-cycle.service.js';
import { ClosePeriod, type ClosePeriodOutcome } from './close-period.command.js';
import { decideClosePeriod } from './close-period.decider.js';

/**
 * Seals the period's statements in chunks (each tagged with this attempt's closeId), then records
 * the close after the last one read. Only the chunks a PeriodClosed names count, so a close killed
 * half-way leaves nothing closed, and its retry starts afresh.
 */
@CommandHandler(ClosePeriod)
export class ClosePeriodHandler implements ICommandHandler<ClosePeriod> {
  constructor(
    private readonly payCycle: PayCycleService,
    private readonly log: PayCycleLog,
    private readonly clock: Clock,
  ) {}

  execute({ period, operator, context }: ClosePeriod): Promise<ClosePeriodOutcome> {
    return retryOnConflict(async () => {
      const closes = await this.payCycle.closes();
      const bounds = this.payCycle.bounds(period);
      const now = this.clock.now().toISOString();
      const decision = decideClosePeriod(
        { bounds, operator, now },
        closes.map((c) => c.data),
      );
      if (decision.kind === 'closed-already') return outcomeOf(closes[decision.index]!, false);
      const view = await this.payCycle.seal(period, closes);
      const closeId = randomUUID();
      const chunks = chunked(view.statements);
      for (const [i, chunk] of chunks.entries()) await this.log.appendChunk(period, closeId, i, chunk, context);
      const data: PeriodClosedData = {
        period,
        from: bounds.from,
        to: bounds.to,
        closeId,
        asOfPosition: view.asOfPosition,
        closedAt: now,
        operator,
        planFingerprint: view.planFingerprint,
        qualificationApplied: view.qualificationApplied,
        statementCount: view.statements.length,
        chunkCount: chunks.length,
        statementDigest: view.statementDigest,
      };
      const written = await this.log.appendClose(data, closes[closes.length - 1]?.revision ?? null, context);
      if (written.created) return { ...written, statementDigest: data.statementDigest };
      // an identical event id was already there: another attempt closed it; answer with what the log holds
      const recorded = (await this.payCycle.closes()).find((c) => c.data.period === period);
      assert(recorded !== undefined, `close of ${period} not written and not found`);
      return outcomeOf(recorded, false);
    });
  }
}

function outcomeOf(close: RecordedClose, created: boolean): ClosePeriodOutcome {
  return {
    created,
    position: close.position,
    stream: closesStream(),
    revision: close.revision,
    statementDigest: close.data.statementDigest,
  };
}
