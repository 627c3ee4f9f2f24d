// The operations answers' shapes, for the OpenAPI document (and the console's generated types).
import { ApiProperty } from '@nestjs/swagger';

const REBUILD_STATES = ['running', 'succeeded', 'failed', 'abandoned'];

export class RebuildProgressDto {
  @ApiProperty() id!: string;
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ enum: REBUILD_STATES }) state!: 'running' | 'succeeded' | 'failed' | 'abandoned';
  @ApiProperty() generation!: number;
  @ApiProperty() planFingerprint!: string;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: Number, nullable: true }) eventsDone!: number | null;
  @ApiProperty({ type: Number, nullable: true }) eventsTotal!: number | null;
  @ApiProperty({ type: String, nullable: true }) checkpoint!: string | null;
  @ApiProperty({ type: Number, nullable: true }) eventsPerSecond!: number | null;
  @ApiProperty({ type: Number, nullable: true }) etaSeconds!: number | null;
}

class ServingDto {
  @ApiProperty() generation!: number;
  @ApiProperty() planFingerprint!: string;
  @ApiProperty({ enum: ['starting', 'catching-up', 'live', 'failed', 'stopped'] }) status!: string;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: String, nullable: true }) checkpoint!: string | null;
}

class PlanChangeDto {
  @ApiProperty() servingPlan!: string;
  @ApiProperty() configuredPlan!: string;
  @ApiProperty() repricesFrom!: string;
  @ApiProperty({ enum: ['rebuilding', 'waiting-for-operator'] }) action!: string;
}

class GenerationDto {
  @ApiProperty() id!: number;
  @ApiProperty() status!: string;
  @ApiProperty() planFingerprint!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) switchedAt!: string | null;
}

export class ProjectionStatusAnswer {
  @ApiProperty({ type: String, nullable: true }) head!: string | null;
  @ApiProperty({ description: 'head - checkpoint, in positions' }) lag!: string;
  @ApiProperty({ type: ServingDto }) serving!: ServingDto;
  @ApiProperty() configuredPlan!: string;
  @ApiProperty({ type: PlanChangeDto, nullable: true }) planChange!: PlanChangeDto | null;
  @ApiProperty({ type: RebuildProgressDto, nullable: true }) rebuild!: RebuildProgressDto | null;
  @ApiProperty({ type: [GenerationDto] }) generations!: GenerationDto[];
}

class WhatIfRowDto {
  @ApiProperty() personId!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: ['one-off', 'residual', 'passive'] }) kind!: 'one-off' | 'residual' | 'passive';
  @ApiProperty() old!: string;
  @ApiProperty() new!: string;
  @ApiProperty() difference!: string;
}

class CompanyWideDto {
  @ApiProperty() currency!: string;
  @ApiProperty() old!: string;
  @ApiProperty() new!: string;
  @ApiProperty() difference!: string;
}

export class WhatIfReportAnswer {
  @ApiProperty({ type: String, nullable: true }) upTo!: string | null;
  @ApiProperty() currentPlan!: string;
  @ApiProperty() candidatePlan!: string;
  @ApiProperty({ type: [WhatIfRowDto] }) rows!: WhatIfRowDto[];
  @ApiProperty({ type: [CompanyWideDto] }) companyWide!: CompanyWideDto[];
}
