// The types of a statement and its comparison: what statement.ts composes (it imports them as types only,
// so it stays pure) and the statement query answers. Classes so that the OpenAPI document describes them.
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { everyOf } from '../../shared/exhaustive.js';
import type { KnowledgePoint } from '../generations/catalog.js';
import type { IncomeKind } from '../read-model/income.fold.js';
import { IncomeTotals } from '../people/income-totals.query.js';
import { HistoryLine } from '../read-model/history-line.answer.js';

const AMOUNT = { description: "Decimal string fixed to the currency's minor units", example: '10.00' };
const KIND = { enum: everyOf<IncomeKind>()('one-off', 'residual', 'passive') };

/** Which figures a statement shows: the generation that served them, and whether they were folded again for it. */
export class StatementSource {
  @ApiProperty({ type: 'integer', example: 1 })
  readonly generation!: number;
  @ApiProperty({ description: 'sha256 of the canonical plan the figures are priced with' })
  readonly planFingerprint!: string;
  /** True when that generation's files are gone and the log was folded again, under its plan, to answer. */
  @ApiProperty({ description: "True when that generation's files are gone and the log was folded again for it" })
  readonly refolded!: boolean;
}

export class StatementPeriod {
  @ApiProperty({ format: 'date-time', description: 'Business time, inclusive' })
  readonly from!: string;
  @ApiProperty({ format: 'date-time', description: 'Business time, exclusive' })
  readonly to!: string;
}

export class PositionPoint {
  @ApiProperty({ description: 'A global position', example: '4' })
  readonly position!: string;
}

export class RecordedAtPoint {
  @ApiProperty({ format: 'date-time', description: 'A recorded (knowledge) time' })
  readonly recordedAt!: string;
}

export class Statement {
  @ApiProperty({ example: 'ana' })
  readonly personId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Ana', description: "The person's name; null if unknown then" })
  readonly personName!: string | null;
  /** Business time: from inclusive, to exclusive. */
  @ApiProperty({ type: StatementPeriod })
  readonly period!: StatementPeriod;
  /** The knowledge point it is as of; null for everything known now. */
  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(PositionPoint) }, { $ref: getSchemaPath(RecordedAtPoint) }],
    nullable: true,
    description: 'The knowledge point it is as of; null for everything known now',
  })
  readonly asOf!: KnowledgePoint | null;
  /** The position the figures reflect (with asOf a position, that one): pass it as asOf to reproduce them. */
  @ApiProperty({ type: String, nullable: true, description: 'The position the figures reflect; as asOf, the same' })
  readonly position!: string | null;
  @ApiProperty({ type: StatementSource })
  readonly source!: StatementSource;
  @ApiProperty({ type: [IncomeTotals] })
  readonly opening!: IncomeTotals[];
  @ApiProperty({ type: [HistoryLine], description: 'The lines of the period in business time order' })
  readonly lines!: HistoryLine[];
  /** The period's lines summed. */
  @ApiProperty({ type: [IncomeTotals], description: "The period's lines summed" })
  readonly movement!: IncomeTotals[];
  @ApiProperty({ type: [IncomeTotals] })
  readonly closing!: IncomeTotals[];
}

/** A line of an earlier statement that has been answered by refund lines since (dated whenever the refund was). */
export class ReversedLine {
  @ApiProperty({ type: HistoryLine })
  readonly line!: HistoryLine;
  @ApiProperty({ type: [HistoryLine] })
  readonly reversedBy!: HistoryLine[];
}

export class RepricedLine {
  @ApiProperty({ type: HistoryLine })
  readonly then!: HistoryLine;
  @ApiProperty({ type: HistoryLine })
  readonly now!: HistoryLine;
  /** now - then */
  @ApiProperty({ ...AMOUNT, description: 'now - then' })
  readonly difference!: string;
}

export class BalanceChange {
  @ApiProperty({ example: 'USD' })
  readonly currency!: string;
  @ApiProperty(KIND)
  readonly kind!: IncomeKind;
  @ApiProperty(AMOUNT)
  readonly then!: string;
  @ApiProperty(AMOUNT)
  readonly now!: string;
  @ApiProperty(AMOUNT)
  readonly difference!: string;
}

export class StatementComparison {
  /** Lines of the period the ledger knows now and did not then (late facts, refunds dated in the period). */
  @ApiProperty({ type: [HistoryLine], description: 'Lines of the period known now and not then' })
  readonly added!: HistoryLine[];
  /** Lines of the earlier statement answered by refunds recorded since. */
  @ApiProperty({ type: [ReversedLine] })
  readonly reversed!: ReversedLine[];
  /** The same fact, earner, rule and generation, priced differently now (a rule change and its rebuild). */
  @ApiProperty({ type: [RepricedLine] })
  readonly repriced!: RepricedLine[];
  /** Lines of the earlier statement that today's plan no longer produces. */
  @ApiProperty({ type: [HistoryLine] })
  readonly dropped!: HistoryLine[];
  /** Opening and closing balances, then and now, where they differ. */
  @ApiProperty({ type: [BalanceChange] })
  readonly opening!: BalanceChange[];
  @ApiProperty({ type: [BalanceChange] })
  readonly closing!: BalanceChange[];
}

export class StatementComparisonAnswer extends StatementComparison {
  @ApiProperty({ type: StatementSource, description: 'Which figures "now" is' })
  readonly now!: StatementSource;
}

export class StatementAnswer extends Statement {
  @ApiPropertyOptional({ type: StatementComparisonAnswer, description: 'With compareWith=now' })
  readonly comparison?: StatementComparisonAnswer;
}
