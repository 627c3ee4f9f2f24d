// What the people queries answer: the read model's own types (read-model.ts), with the person and the
// position the figures reflect. Classes so that the OpenAPI document (and so the console's generated types)
// describes them; the queries build plain objects. One set for every people route.
import { ApiProperty } from '@nestjs/swagger';
import { HistoryLine } from '../read-model/history-line.answer.js';
import { DownlineNode } from './downline.query.js';
import { HistoryPage } from './history.query.js';
import { IncomeTotals } from './income-totals.query.js';

const POSITION = {
  type: String,
  nullable: true,
  description: 'The global position the figures reflect (null before any event)',
  example: '5',
};

export class IncomeAnswer {
  @ApiProperty({ example: 'ben' })
  readonly personId!: string;
  @ApiProperty(POSITION)
  readonly position!: string | null;
  @ApiProperty({ type: [IncomeTotals], description: 'One row per currency the person earned in, by currency' })
  readonly totals!: IncomeTotals[];
}

export class HistoryAnswer extends HistoryPage {
  @ApiProperty({ example: 'ben' })
  readonly personId!: string;
  @ApiProperty(POSITION)
  readonly position!: string | null;
}

/** Shared by every answer that shows an event's data (the source event of a line too). */
export const DATA_AS_READ =
  'The event\'s data as the ledger reads it: as stored, but a sale\'s kind in today\'s word ("single" for the stored "one-off")';

export class PersonEvent {
  @ApiProperty({ description: 'Global position, a decimal string', example: '3' })
  readonly position!: string;
  @ApiProperty({ format: 'uuid' })
  readonly eventId!: string;
  @ApiProperty({ example: 'SaleMade' })
  readonly type!: string;
  @ApiProperty({ example: 'sale-S-1' })
  readonly stream!: string;
  @ApiProperty({ type: 'integer', example: 0 })
  readonly revision!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: DATA_AS_READ })
  readonly data!: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  readonly metadata!: unknown;
  @ApiProperty({ type: [HistoryLine], description: "The person's lines from this event" })
  readonly lines!: HistoryLine[];
}

export class EventsAnswer {
  @ApiProperty({ example: 'ben' })
  readonly personId!: string;
  @ApiProperty(POSITION)
  readonly position!: string | null;
  @ApiProperty({ type: [PersonEvent] })
  readonly events!: PersonEvent[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' })
  readonly nextCursor!: string | null;
}

export class DownlineAnswer {
  @ApiProperty({ example: 'ana' })
  readonly personId!: string;
  @ApiProperty(POSITION)
  readonly position!: string | null;
  @ApiProperty({ type: 'integer', example: 3 })
  readonly depth!: number;
  @ApiProperty({ description: 'True when the tree was cut at 10,000 people' })
  readonly truncated!: boolean;
  @ApiProperty({ type: [DownlineNode] })
  readonly downline!: DownlineNode[];
}

export class BroughtAmount {
  @ApiProperty({ example: 'USD' })
  readonly currency!: string;
  @ApiProperty({ description: "Decimal string fixed to the currency's minor units", example: '7.50' })
  readonly amount!: string;
}

export class MemberBrought {
  @ApiProperty({ example: 'ben' })
  readonly personId!: string;
  @ApiProperty({ type: 'integer', description: 'Levels below the person: 1 for someone they recruited', example: 1 })
  readonly level!: number;
  @ApiProperty({
    type: [BroughtAmount],
    description: "Override income the person earned from this member's branch (them and everyone under them)",
  })
  readonly brought!: BroughtAmount[];
}

export class DownlineBroughtAnswer {
  @ApiProperty({ example: 'ana' })
  readonly personId!: string;
  @ApiProperty(POSITION)
  readonly position!: string | null;
  @ApiProperty({
    type: [MemberBrought],
    description: 'Every member whose branch earned the person override income, by level then id',
  })
  readonly members!: MemberBrought[];
  @ApiProperty({
    type: [BroughtAmount],
    description: 'Override income whose rep was not found under the person (empty as lines are written today)',
  })
  readonly unattributed!: BroughtAmount[];
}

const money = (description: string) => ({ type: String, example: '12.50', description });

export class PersonSummaryDto {
  @ApiProperty() personId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) sponsorId!: string | null;
  @ApiProperty({ example: '2025-01-01T09:00:00.000Z' }) recruitedAt!: string;
}

export class PersonAnswer extends PersonSummaryDto {
  @ApiProperty({ type: String, nullable: true, description: 'The position the answer reflects' })
  position!: string | null;
}

export class PeoplePageAnswer {
  @ApiProperty({ type: String, nullable: true }) position!: string | null;
  @ApiProperty({ type: [PersonSummaryDto] }) people!: PersonSummaryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' })
  nextCursor!: string | null;
}

export class MonthIncomeDto {
  @ApiProperty({ example: '2025-03', description: 'UTC calendar month of business time' }) month!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty(money('one-off income')) oneOff!: string;
  @ApiProperty(money('residual income')) residual!: string;
  @ApiProperty(money('passive income')) passive!: string;
  @ApiProperty(money('residual + passive: the income that recurs')) recurring!: string;
  @ApiProperty(money('all three')) total!: string;
}

export class IncomeByMonthAnswer {
  @ApiProperty() personId!: string;
  @ApiProperty({ type: String, nullable: true }) position!: string | null;
  @ApiProperty({ type: [MonthIncomeDto], description: 'months with income only, in month then currency order' })
  months!: MonthIncomeDto[];
}
