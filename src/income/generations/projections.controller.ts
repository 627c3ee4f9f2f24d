import { Access } from '../../access/access.decorator.js';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ApiProblems } from '../../http/openapi.js';
import { RequestInvalidError } from '../../http/problem.js';
import { ParseIdPipe } from '../../http/validation.js';
import { EventStore } from '../../event-store/event-store.port.js';
import { LedgerError } from '../../shared/errors.js';
import { LOADED_PLAN } from '../plan/plan.module.js';
import { identifyPlan, type LoadedPlan } from '../plan/plan-file.js';
import { parsePlan } from '../plan/plan.js';
import { IncomeProjection } from './income-projection.js';
import { ProjectionsAnswer, RebuildProgressAnswer, WhatIfReportAnswer } from './projections.answer.js';
import { whatIfCsv, type WhatIfReport } from './what-if.js';

export class StartRebuildRequest {
  @ApiProperty({ required: false, description: 'Build and report the difference, without switching', default: false })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiProperty({
    required: false,
    description: 'A candidate plan (the plan file format); default: the configured plan',
    type: Object,
  })
  @IsOptional()
  @IsObject()
  plan?: Record<string, unknown>;
}

@ApiTags('operations')
@ApiExtraModels(WhatIfReportAnswer)
@Access('admin')
@Controller('projections')
export class ProjectionsController {
  constructor(
    private readonly store: EventStore,
    private readonly projection: IncomeProjection,
    @Inject(LOADED_PLAN) private readonly configured: LoadedPlan,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Head of the log, the serving generation with its checkpoint and lag, plan changes, the running rebuild',
  })
  @ApiOkResponse({ type: ProjectionsAnswer })
  @ApiProblems('STORE_UNAVAILABLE')
  async status(): Promise<ProjectionsAnswer> {
    const head = await this.store.headPosition();
    const status = this.projection.status();
    const { checkpoint } = status.serving;
    const lag = head === null ? '0' : (BigInt(head) - BigInt(checkpoint ?? '0')).toString();
    return { head, lag, ...status };
  }

  @Post('rebuilds')
  @ApiOperation({
    summary: 'Start a rebuild into a new generation (202); with dryRun, a what-if report instead of a switch',
  })
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RebuildProgressAnswer, description: 'started; Location names its progress' })
  @ApiProblems('REBUILD_IN_PROGRESS', 'STORE_UNAVAILABLE')
  async start(
    @Body() body: StartRebuildRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RebuildProgressAnswer> {
    let plan = this.configured;
    if (body.plan !== undefined) {
      const parsed = parsePlan(body.plan);
      if (!parsed.ok)
        throw new RequestInvalidError('VALIDATION_FAILED', 'the candidate plan is invalid', [
          { field: 'plan', problems: parsed.problems },
        ]);
      plan = identifyPlan(parsed.plan, 'request');
    }
    const progress = await this.projection.startRebuild({ plan, dryRun: body.dryRun ?? false });
    void reply.status(202).header('location', `/projections/rebuilds/${progress.id}`);
    return progress;
  }

  @Get('rebuilds/:rebuildId')
  @ApiOperation({ summary: "A rebuild's progress (events done / total, rate, ETA) and outcome" })
  @ApiOkResponse({ type: RebuildProgressAnswer })
  @ApiProblems('REBUILD_UNKNOWN')
  progress(@Param('rebuildId', ParseIdPipe) rebuildId: string): RebuildProgressAnswer {
    const progress = this.projection.rebuildProgress(rebuildId);
    if (progress === null) throw new LedgerError('REBUILD_UNKNOWN', `no rebuild ${rebuildId}`);
    return progress;
  }

  @Get('rebuilds/:rebuildId/report')
  @ApiOperation({
    summary:
      "A dry run's what-if report: per person and kind old, new and difference; company-wide change. JSON or CSV (Accept: text/csv)",
  })
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(WhatIfReportAnswer) } },
      'text/csv': { schema: { type: 'string', description: 'One row per person, currency and kind' } },
    },
  })
  @ApiProblems('REBUILD_UNKNOWN')
  report(
    @Param('rebuildId', ParseIdPipe) rebuildId: string,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): WhatIfReport | string {
    const report = this.projection.whatIfReport(rebuildId);
    if (report === null) throw new LedgerError('REBUILD_UNKNOWN', `no finished dry run ${rebuildId}`);
    if (accept?.includes('text/csv')) {
      void reply.header('content-type', 'text/csv; charset=utf-8');
      return whatIfCsv(report);
    }
    return report;
  }
}
