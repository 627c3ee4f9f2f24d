// A sealed statement (docs/events.md#periodstatementssealed) as the pay cycle's answers carry it, described
// for the OpenAPI document: the close preview, a closed period's statements, a person's closed period.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { everyOf, type Same } from '../../shared/exhaustive.js';
import type { PayableReason, SealedAdjustment, SealedRank, SealedStatement } from '../events.js';

export const AMOUNT = { description: "Decimal string fixed to the currency's minor units", example: '10.00' };
const amount = (description: string) => ({ ...AMOUNT, description: `${description}. ${AMOUNT.description}` });

export class AdjustmentSource {
  @ApiProperty({ format: 'uuid' })
  readonly eventId!: string;
  @ApiProperty({ example: 'SaleMade' })
  readonly eventType!: string;
  @ApiProperty({ description: 'Global position, a decimal string', example: '12' })
  readonly position!: string;
}

export class PlanChangeFingerprints {
  @ApiProperty({ description: 'sha256 of the plan at the last close' })
  readonly from!: string;
  @ApiProperty({ description: 'sha256 of the plan now' })
  readonly to!: string;
}

/** A correction of an earlier closed period, brought into this one. */
export class SealedAdjustmentAnswer {
  @ApiProperty({ example: '2025-03', description: 'The closed period the correction belongs to' })
  readonly corrects!: string;
  @ApiProperty({
    enum: everyOf<SealedAdjustment['reason']>()('late-fact', 'plan-change'),
    description: 'late-fact: a fact dated in that period, recorded after its close; plan-change: a re-pricing since',
  })
  readonly reason!: SealedAdjustment['reason'];
  @ApiProperty({ type: AdjustmentSource, nullable: true, description: 'The late fact; null for a plan change' })
  readonly source!: AdjustmentSource | null;
  @ApiProperty({
    type: PlanChangeFingerprints,
    nullable: true,
    description: "The plans' fingerprints before and after a plan change; null for a late fact",
  })
  readonly plan!: PlanChangeFingerprints | null;
  @ApiProperty(amount('What the correction adds; negative when it takes away'))
  readonly amount!: string;
}

export class CapCut {
  @ApiProperty({ example: 'override', description: 'The capped rule' })
  readonly rule!: string;
  @ApiProperty(amount("What the rule's lines of the period lost to its cap"))
  readonly cut!: string;
}

/** A rank as a period records it. */
export class PeriodRankAnswer {
  @ApiProperty({ type: String, nullable: true, example: 'Manager', description: 'The rank reached; null if none' })
  readonly name!: string | null;
  @ApiProperty({
    type: 'integer',
    example: 2,
    description: 'How many override levels it pays (0 without a rank): deeper overrides are not qualified',
  })
  readonly overrideLevels!: number;
}

/** One person's statement of a period in one currency. */
export class SealedStatementAnswer {
  @ApiProperty({ example: 'ana' })
  readonly personId!: string;
  @ApiProperty({ example: 'USD' })
  readonly currency!: string;
  @ApiProperty({ description: "Whether the person reached the plan's activity minimum in the period" })
  readonly qualified!: boolean;
  @ApiProperty(amount('Own sales and renewals in the period, refunds net'))
  readonly personalVolume!: string;
  @ApiProperty(amount("The previous close's closing balance (the first close: everything dated before the period)"))
  readonly opening!: string;
  @ApiProperty(amount('Earned in the period'))
  readonly earned!: string;
  @ApiProperty(
    amount(
      'Overrides not counted: the person was below the activity minimum (or, under ranks, deeper than their rank)',
    ),
  )
  readonly notQualified!: string;
  @ApiProperty({ type: [SealedAdjustmentAnswer], description: 'Corrections of earlier closed periods' })
  readonly adjustments!: readonly SealedAdjustmentAnswer[];
  @ApiProperty(amount('opening + earned + the adjustments'))
  readonly closing!: string;
  @ApiProperty(amount('What earlier closes made payable'))
  readonly paidBefore!: string;
  @ApiProperty(amount('Forfeited by holds lifted with forfeiture'))
  readonly forfeited!: string;
  @ApiProperty(amount("Lines from sales still inside the plan's holding period: a later close pays them"))
  readonly heldForRefundWindow!: string;
  @ApiProperty(amount('Kept by a hold on the person'))
  readonly held!: string;
  @ApiProperty(amount('Not paid now: a negative balance, or one below the minimum payout'))
  readonly carried!: string;
  @ApiProperty(amount('To pay for this period'))
  readonly payable!: string;
  @ApiProperty({
    enum: everyOf<PayableReason>()('paid', 'held', 'carried', 'forfeited'),
    description: 'Why the payable is what it is: paid, held (by a hold or the holding period), carried, forfeited',
  })
  readonly payableReason!: PayableReason;
  @ApiPropertyOptional({
    type: [CapCut],
    description: 'Only under a plan with caps per period: what each capped rule lost to its cap',
  })
  readonly capped?: readonly CapCut[];
  @ApiPropertyOptional({
    type: PeriodRankAnswer,
    description: 'Only under a plan with ranks: the rank sealed for the period (late facts in it are paid by it)',
  })
  readonly rank?: PeriodRankAnswer;
}

export const sealedAnswersArePinned: [
  Same<SealedStatementAnswer, SealedStatement>,
  Same<SealedAdjustmentAnswer, SealedAdjustment>,
  Same<PeriodRankAnswer, SealedRank>,
] = [true, true, true];
