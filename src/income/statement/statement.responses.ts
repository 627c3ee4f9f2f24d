// The statement's JSON answer, for the OpenAPI document (and the console's generated types).
import { ApiProperty } from '@nestjs/swagger';
import { HistoryLineDto, IncomeTotalsDto } from '../people/people.responses.js';

class PeriodDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
}

class KnowledgePointDto {
  @ApiProperty({ required: false }) position?: string;
  @ApiProperty({ required: false }) recordedAt?: string;
}

class StatementSourceDto {
  @ApiProperty() generation!: number;
  @ApiProperty() planFingerprint!: string;
  @ApiProperty() refolded!: boolean;
}

class ReversedLineDto {
  @ApiProperty({ type: HistoryLineDto }) line!: HistoryLineDto;
  @ApiProperty({ type: [HistoryLineDto] }) reversedBy!: HistoryLineDto[];
}

class RepricedLineDto {
  @ApiProperty({ type: HistoryLineDto }) then!: HistoryLineDto;
  @ApiProperty({ type: HistoryLineDto }) now!: HistoryLineDto;
  @ApiProperty({ description: 'now - then' }) difference!: string;
}

class BalanceChangeDto {
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: ['one-off', 'residual', 'passive'] }) kind!: 'one-off' | 'residual' | 'passive';
  @ApiProperty() then!: string;
  @ApiProperty() now!: string;
  @ApiProperty() difference!: string;
}

class StatementComparisonDto {
  @ApiProperty({ type: StatementSourceDto }) now!: StatementSourceDto;
  @ApiProperty({ type: [HistoryLineDto] }) added!: HistoryLineDto[];
  @ApiProperty({ type: [ReversedLineDto] }) reversed!: ReversedLineDto[];
  @ApiProperty({ type: [RepricedLineDto] }) repriced!: RepricedLineDto[];
  @ApiProperty({ type: [HistoryLineDto] }) dropped!: HistoryLineDto[];
  @ApiProperty({ type: [BalanceChangeDto] }) opening!: BalanceChangeDto[];
  @ApiProperty({ type: [BalanceChangeDto] }) closing!: BalanceChangeDto[];
}

export class StatementAnswer {
  @ApiProperty() personId!: string;
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty({ type: KnowledgePointDto, nullable: true }) asOf!: KnowledgePointDto | null;
  @ApiProperty({ type: String, nullable: true }) position!: string | null;
  @ApiProperty({ type: StatementSourceDto }) source!: StatementSourceDto;
  @ApiProperty({ type: [IncomeTotalsDto] }) opening!: IncomeTotalsDto[];
  @ApiProperty({ type: [HistoryLineDto] }) lines!: HistoryLineDto[];
  @ApiProperty({ type: [IncomeTotalsDto] }) movement!: IncomeTotalsDto[];
  @ApiProperty({ type: [IncomeTotalsDto] }) closing!: IncomeTotalsDto[];
  @ApiProperty({ type: StatementComparisonDto, required: false }) comparison?: StatementComparisonDto;
}
