// The answer of GET /people/{personId}/periods/{period}, described for the OpenAPI document: one shape while
// the period is open (projected figures), another once it is closed (the sealed statements), on a shared base.
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { everyOf, type Same } from '../../shared/exhaustive.js';
import { HistoryLine, historyLineOf } from '../read-model/history-line.answer.js';
import type { ComingAdjustment } from './pay-cycle.service.js';
import type {
  Counted,
  CountedAs,
  NotQualifiedReason,
  PaidOverrideLine,
  PayLine,
  PeriodTotals,
  Qualification,
} from './period-figures.js';
import {
  AMOUNT,
  CapCut,
  PeriodRankAnswer,
  SealedAdjustmentAnswer,
  SealedStatementAnswer,
} from './sealed-statement.answer.js';

const PERIOD = { example: '2025-03', description: "A calendar month in the plan's time zone, YYYY-MM" };
const MINIMUM = {
  type: String,
  nullable: true,
  description: "The plan's minimum in that currency; null when it names none",
  example: '50.00',
};

export class PersonalVolume {
  @ApiProperty({ example: 'USD' })
  readonly currency!: string;
  @ApiProperty({ ...AMOUNT, description: 'Own sales and renewals in the period, refunds net' })
  readonly volume!: string;
  @ApiProperty(MINIMUM)
  readonly minimum!: string | null;
}

export class QualificationAnswer {
  @ApiProperty({ description: "Whether the person's own volume reaches the plan's minimum (so far, while open)" })
  readonly qualified!: boolean;
  @ApiProperty({ type: [PersonalVolume], description: 'Per currency' })
  readonly personalVolume!: readonly PersonalVolume[];
  @ApiPropertyOptional({
    type: PersonalVolume,
    description: "Only with a reporting currency in the plan: every currency's volume converted to it, summed",
  })
  readonly reportingVolume?: PersonalVolume;
}

export class PersonPeriodTotals {
  @ApiProperty({ example: 'USD' })
  readonly currency!: string;
  @ApiProperty(AMOUNT)
  readonly oneOff!: string;
  @ApiProperty(AMOUNT)
  readonly residual!: string;
  @ApiProperty(AMOUNT)
  readonly passive!: string;
  @ApiProperty({ ...AMOUNT, description: "What counts: every line but an unqualified rep's overrides, less the cuts" })
  readonly earned!: string;
  @ApiProperty({
    ...AMOUNT,
    description:
      'Overrides not counted: the person is below the activity minimum (or, under ranks, deeper than their rank)',
  })
  readonly notQualified!: string;
  @ApiPropertyOptional({ type: [CapCut], description: 'Only under a plan with caps per period' })
  readonly capped?: readonly CapCut[];
}

export class PeriodLine extends HistoryLine {
  @ApiProperty({
    enum: everyOf<Counted>()('earned', 'notQualified', 'compressed'),
    description:
      'earned; notQualified: an override of a rep below the activity minimum, or deeper than their rank pays; compressed: an override replaced by the ones paid after dynamic compression',
  })
  readonly counted!: Counted;
  @ApiPropertyOptional({
    enum: everyOf<NotQualifiedReason>()('activity', 'rank'),
    description:
      'Only under a plan with ranks, on a notQualified line: activity (below the minimum) or rank (deeper than the rank pays)',
  })
  readonly notQualifiedReason?: NotQualifiedReason;
}

/** A line's `level` is its upline level, null outside overrides; a paid override always has one. */
export class PaidOverride extends OmitType(HistoryLine, ['level'] as const) {
  @ApiProperty({ type: 'integer', description: "The earner's depth below the seller" })
  readonly level!: number;
  @ApiProperty({ type: 'integer', description: 'The level whose rate it pays, after compression' })
  readonly paidLevel!: number;
  @ApiPropertyOptional({
    enum: ['earned', 'notQualified'],
    description: 'Only under a plan with ranks: notQualified when its paid level is deeper than the rank pays',
  })
  readonly counted?: 'earned' | 'notQualified';
  @ApiPropertyOptional({ enum: ['rank'], description: 'Only under a plan with ranks, on a notQualified one' })
  readonly notQualifiedReason?: 'rank';
}

export class ComingAdjustmentAnswer extends SealedAdjustmentAnswer {
  @ApiProperty({ example: 'USD' })
  readonly currency!: string;
}

/** What both shapes say: whose period, its bounds, and under a plan with ranks the rank reached in it. */
export class PersonPeriodAnswer {
  @ApiProperty({ example: 'ana' })
  readonly personId!: string;
  @ApiProperty(PERIOD)
  readonly period!: string;
  @ApiProperty({ format: 'date-time', description: "The period's first instant (inclusive), UTC" })
  readonly from!: string;
  @ApiProperty({ format: 'date-time', description: "The next period's first instant (exclusive), UTC" })
  readonly to!: string;
  @ApiPropertyOptional({
    type: PeriodRankAnswer,
    description:
      'Only under a plan with ranks: the rank reached in the period (so far while open, as sealed once closed) and its override levels',
  })
  readonly rank?: PeriodRankAnswer;
}

export class OpenPersonPeriodAnswer extends PersonPeriodAnswer {
  @ApiProperty({ enum: ['open'] })
  readonly status!: 'open';
  @ApiProperty({ enum: ['projected'], description: 'The figures so far under the qualification so far' })
  readonly basis!: 'projected';
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The position the figures reflect; null before any event',
    example: '42',
  })
  readonly position!: string | null;
  @ApiProperty({ type: QualificationAnswer })
  readonly qualification!: QualificationAnswer;
  @ApiProperty({ type: [PersonPeriodTotals], description: 'Per currency' })
  readonly totals!: readonly PersonPeriodTotals[];
  @ApiProperty({ type: [PeriodLine], description: "The person's lines dated in the period" })
  readonly lines!: readonly PeriodLine[];
  @ApiProperty({
    type: [PaidOverride],
    description: 'With dynamic compression, the overrides paid to the person; else empty',
  })
  readonly paidOverrides!: readonly PaidOverride[];
  @ApiProperty({
    type: [ComingAdjustmentAnswer],
    description: 'What the next close would bring into the period as of now (the first open period only)',
  })
  readonly comingAdjustments!: readonly ComingAdjustmentAnswer[];
}

export class ClosedPersonPeriodAnswer extends PersonPeriodAnswer {
  @ApiProperty({ enum: ['closed'] })
  readonly status!: 'closed';
  @ApiProperty({ enum: ['final'], description: 'Sealed by the close: never changes' })
  readonly basis!: 'final';
  @ApiProperty({ description: 'The position of the PeriodClosed event', example: '42' })
  readonly position!: string;
  @ApiProperty({ format: 'date-time' })
  readonly closedAt!: string;
  @ApiProperty({ description: 'sha256 of the canonical form of every sealed statement of the period' })
  readonly statementDigest!: string;
  @ApiProperty({ type: [SealedStatementAnswer], description: "The person's sealed statements, one per currency" })
  readonly statements!: readonly SealedStatementAnswer[];
}

export const personPeriodAnswersArePinned: [
  Same<QualificationAnswer, Qualification>,
  Same<PersonPeriodTotals, PeriodTotals>,
  Same<ComingAdjustmentAnswer, ComingAdjustment>,
  Same<Omit<PeriodLine, keyof HistoryLine>, CountedAs>,
  Same<Omit<PaidOverride, keyof HistoryLine>, Omit<PaidOverrideLine, keyof PayLine>>,
] = [true, true, true, true, true];

/** A line of the person's period as the API prints it: the line, then how it counts. */
export function periodLineOf(line: PayLine & CountedAs): PeriodLine {
  const { counted, notQualifiedReason } = line;
  return { ...historyLineOf(line), counted, ...(notQualifiedReason === undefined ? {} : { notQualifiedReason }) };
}

/** A paid override as the API prints it: the fold's line at the earner's level, the level it pays, how it counts. */
export function paidOverrideOf(line: PaidOverrideLine): PaidOverride {
  const { level, paidLevel, counted, notQualifiedReason } = line;
  return {
    ...historyLineOf(line),
    level,
    paidLevel,
    ...(counted === undefined ? {} : { counted }),
    ...(notQualifiedReason === undefined ? {} : { notQualifiedReason }),
  };
}
