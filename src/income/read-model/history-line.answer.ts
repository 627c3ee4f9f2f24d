// A ledger line as the API answers it (history, statements, a person's pay period). Classes only so
// that their @ApiProperty describes them in the OpenAPI document; they are built as plain objects
// (by historyLineOf, from the one line type every query reads). Amounts are decimal strings fixed to
// the currency's minor units: the only place a line's Money is printed.
import { ApiProperty } from '@nestjs/swagger';
import { everyOf } from '../../shared/exhaustive.js';
import type { CapName } from '../plan/plan.js';
import type { IncomeKind, LedgerLine, RuleName, SourceRef } from './income.fold.js';

export const AMOUNT = { description: "Decimal string fixed to the currency's minor units", example: '10.00' };

/** The event a line came from, exactly (the fold's SourceRef). */
export class LineSource implements SourceRef {
  @ApiProperty({ format: 'uuid' })
  readonly eventId!: string;
  @ApiProperty({ example: 'SaleMade' })
  readonly eventType!: string;
  @ApiProperty({ example: 'sale-S-1' })
  readonly stream!: string;
  @ApiProperty({ type: 'integer', example: 0 })
  readonly revision!: number;
  @ApiProperty({ description: 'Global position, a decimal string', example: '3' })
  readonly position!: string;
}

/** One priced ledger line with its provenance. */
export class HistoryLine {
  @ApiProperty({ enum: everyOf<IncomeKind>()('one-off', 'residual', 'passive') })
  readonly kind!: IncomeKind;
  @ApiProperty({ enum: everyOf<RuleName>()('directSale', 'renewal', 'override', 'affiliate', 'fastStart') })
  readonly rule!: RuleName;
  @ApiProperty({ ...AMOUNT, description: `${AMOUNT.description}; negative for a refund` })
  readonly amount!: string;
  @ApiProperty({ example: 'USD' })
  readonly currency!: string;
  @ApiProperty({ ...AMOUNT, example: '100.00' })
  readonly baseAmount!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The rate applied, a decimal string; null for a fixed amount',
    example: '0.1',
  })
  readonly rate!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The fixed amount the rule pays, when it pays one' })
  readonly fixedAmount!: string | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Upline level of an override: 1 for the sponsor, 2 for theirs...',
  })
  readonly level!: number | null;
  @ApiProperty({ type: String, nullable: true, description: "The sale's product code, if it had one" })
  readonly product!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The step of a recurring rule that applied' })
  readonly step!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: everyOf<CapName>()('perLine', 'perSubscription', 'perCustomer'),
    description: 'The cap that cut the line',
  })
  readonly cap!: CapName | null;
  @ApiProperty({ type: String, nullable: true, description: 'What the line would have been without the cap' })
  readonly uncappedAmount!: string | null;
  @ApiProperty({ example: '2025-01' })
  readonly planVersion!: string;
  @ApiProperty({ format: 'date-time', description: 'Business time of the fact' })
  readonly occurredAt!: string;
  /** When the ledger recorded the fact: the knowledge time of the line. */
  @ApiProperty({ format: 'date-time', description: 'When the ledger recorded the fact: its knowledge time' })
  readonly recordedAt!: string;
  @ApiProperty({ type: LineSource })
  readonly source!: LineSource;
}

/** A line as the API prints it: its amounts as text, its earner left out (a person's own lines, or named beside). */
export function historyLineOf(line: LedgerLine): HistoryLine {
  // in the order the answers have always printed their fields
  return {
    kind: line.kind,
    rule: line.rule,
    amount: line.amount.toString(),
    currency: line.currency,
    baseAmount: line.baseAmount.toString(),
    rate: line.rate,
    fixedAmount: line.fixedAmount,
    level: line.level,
    product: line.product,
    step: line.step,
    cap: line.cap,
    uncappedAmount: line.uncappedAmount?.toString() ?? null,
    planVersion: line.planVersion,
    occurredAt: line.occurredAt,
    recordedAt: line.recordedAt,
    source: { ...line.source },
  };
}
