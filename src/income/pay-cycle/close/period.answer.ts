// The answers of the period routes (GET /periods/{period}, its close preview and sealed statements, and the
// close), described for the OpenAPI document.
import { ApiProperty } from '@nestjs/swagger';
import { CommandAnswer } from '../../../http/command-answer.js';
import type { Same } from '../../../shared/exhaustive.js';
import type { PeriodClosedData } from '../../events.js';
import type { CurrencyTotals } from '../period.render.js';
import { AMOUNT, SealedStatementAnswer } from '../sealed-statement.answer.js';

const PERIOD = { example: '2025-03', description: "A calendar month in the plan's time zone, YYYY-MM" };
const FROM = { format: 'date-time', description: "The period's first instant (inclusive), UTC" };
const TO = { format: 'date-time', description: "The next period's first instant (exclusive), UTC" };
const DIGEST = { description: 'sha256 of the canonical form of the sealed statements (docs/pay-cycle.md)' };

/** Which period an answer is about: its name and bounds. */
class PeriodBoundsAnswer {
  @ApiProperty(PERIOD)
  readonly period!: string;
  @ApiProperty(FROM)
  readonly from!: string;
  @ApiProperty(TO)
  readonly to!: string;
}

/**
 * What a close and the statements it seals (or would seal) both say: the latest ledger event behind them, the
 * plan that priced them and their digest.
 */
class SealedStatementsHeader extends PeriodBoundsAnswer {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The latest position the sealed lines came from; null when there are none',
  })
  readonly asOfPosition!: string | null;
  @ApiProperty({ description: 'sha256 of the canonical plan the statements are priced with' })
  readonly planFingerprint!: string;
  @ApiProperty(DIGEST)
  readonly statementDigest!: string;
}

/** The PeriodClosed event's data, with its position. */
export class PeriodCloseAnswer extends SealedStatementsHeader {
  @ApiProperty({ format: 'uuid', description: 'The close attempt whose sealed chunks count' })
  readonly closeId!: string;
  @ApiProperty({ format: 'date-time' })
  readonly closedAt!: string;
  @ApiProperty({ description: 'The key that closed it' })
  readonly operator!: string;
  @ApiProperty({ description: 'Whether the plan had an activity minimum for the period (else everyone qualified)' })
  readonly qualificationApplied!: boolean;
  @ApiProperty({ type: 'integer' })
  readonly statementCount!: number;
  @ApiProperty({ type: 'integer', description: 'How many PeriodStatementsSealed events hold the statements' })
  readonly chunkCount!: number;
  @ApiProperty({ description: 'The position of the PeriodClosed event', example: '42' })
  readonly position!: string;
}

export class PeriodStatusAnswer extends PeriodBoundsAnswer {
  @ApiProperty({ enum: ['open', 'closed'] })
  readonly status!: 'open' | 'closed';
  @ApiProperty({ type: PeriodCloseAnswer, nullable: true, description: 'Its close; null while open' })
  readonly close!: PeriodCloseAnswer | null;
}

/** Every statement of the period summed, in one currency. */
export class CurrencyTotalsAnswer {
  @ApiProperty({ example: 'USD' })
  readonly currency!: string;
  @ApiProperty(AMOUNT)
  readonly opening!: string;
  @ApiProperty(AMOUNT)
  readonly earned!: string;
  @ApiProperty(AMOUNT)
  readonly notQualified!: string;
  @ApiProperty(AMOUNT)
  readonly adjustments!: string;
  @ApiProperty(AMOUNT)
  readonly closing!: string;
}

/** What a close seals (or would seal): the same fields for a preview and for a closed period. */
class SealedPeriodAnswer extends SealedStatementsHeader {
  @ApiProperty({ type: [CurrencyTotalsAnswer], description: 'Every statement summed, per currency' })
  readonly totals!: readonly CurrencyTotalsAnswer[];
  @ApiProperty({ type: [SealedStatementAnswer], description: 'One per person and currency' })
  readonly statements!: readonly SealedStatementAnswer[];
}

export class ClosePreviewAnswer extends SealedPeriodAnswer {
  @ApiProperty({ enum: ['preview'], description: 'Nothing is written: this is what closing now would seal' })
  readonly status!: 'preview';
}

export class PeriodStatementsAnswer extends SealedPeriodAnswer {
  @ApiProperty({ enum: ['closed'] })
  readonly status!: 'closed';
  @ApiProperty({ format: 'date-time' })
  readonly closedAt!: string;
}

export class CloseAnswer extends CommandAnswer {
  @ApiProperty(DIGEST)
  readonly statementDigest!: string;
}

export const periodAnswersArePinned: [
  Same<PeriodCloseAnswer, PeriodClosedData & { position: string }>,
  Same<CurrencyTotalsAnswer, CurrencyTotals>,
] = [true, true];
