// The shapes of the people queries' answers, for the OpenAPI document (and so the console's generated
// types). They describe; the queries build the objects.
import { ApiProperty } from '@nestjs/swagger';

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

export class IncomeTotalsDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty(money('residual income')) residual!: string;
  @ApiProperty(money('passive income')) passive!: string;
  @ApiProperty(money('one-off income')) oneOff!: string;
  @ApiProperty(money('all three')) total!: string;
}

export class IncomeAnswer {
  @ApiProperty() personId!: string;
  @ApiProperty({ type: String, nullable: true }) position!: string | null;
  @ApiProperty({ type: [IncomeTotalsDto] }) totals!: IncomeTotalsDto[];
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

export class LineSourceDto {
  @ApiProperty() eventId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty() stream!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() position!: string;
}

export class HistoryLineDto {
  @ApiProperty({ enum: ['one-off', 'residual', 'passive'] }) kind!: 'one-off' | 'residual' | 'passive';
  @ApiProperty() rule!: string;
  @ApiProperty(money('the line')) amount!: string;
  @ApiProperty() currency!: string;
  @ApiProperty(money('what the rate was applied to')) baseAmount!: string;
  @ApiProperty({ example: '0.05' }) rate!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'upline level of an override' })
  generation!: number | null;
  @ApiProperty() planVersion!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ type: LineSourceDto }) source!: LineSourceDto;
}

export class HistoryAnswer {
  @ApiProperty() personId!: string;
  @ApiProperty({ type: String, nullable: true }) position!: string | null;
  @ApiProperty({ type: [HistoryLineDto] }) lines!: HistoryLineDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class DownlineNodeDto {
  @ApiProperty() personId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() recruitedAt!: string;
  @ApiProperty() generation!: number;
  @ApiProperty({ type: () => [DownlineNodeDto] }) downline!: DownlineNodeDto[];
}

export class DownlineAnswer {
  @ApiProperty() personId!: string;
  @ApiProperty({ type: String, nullable: true }) position!: string | null;
  @ApiProperty() depth!: number;
  @ApiProperty() truncated!: boolean;
  @ApiProperty({ type: [DownlineNodeDto] }) downline!: DownlineNodeDto[];
}
