import { Body, Controller, Get, Param, Post, Query, Req, Res, type Type } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProblems } from '../../../http/openapi.js';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { Access } from '../../../access/access.decorator.js';
import { CommandAnswer, PayCycleCommandAnswers, answer } from '../../../http/command-answer.js';
import { CommandCtx } from '../../../http/command-context.decorator.js';
import { LedgerError } from '../../../shared/errors.js';
import { normalizeAmount } from '../../../shared/money.js';
import type { CommandContext } from '../../ledger-streams.js';
import { ConsistentQuery } from '../../people/people-query.request.js';
import { ReadYourWrites } from '../../generations/read-your-writes.js';
import { PayCycleService, notClosed, type SealedView } from '../pay-cycle.service.js';
import { ParsePeriodPipe } from '../period-param.js';
import { payoutBatchCsv, statementsCsv, totalsOf } from '../period.render.js';
import { RecordPayout } from '../payout/record-payout.command.js';
import { RecordPayoutRequest } from '../payout/record-payout.request.js';
import { ClosePeriod } from './close-period.command.js';
import { ClosePeriodRequest } from './close-period.request.js';
import { CloseAnswer, ClosePreviewAnswer, PeriodStatementsAnswer, PeriodStatusAnswer } from './period.answer.js';

const MEDIA_TYPES = ['application/json', 'text/csv'];

const STATEMENTS_CSV = {
  type: 'string',
  description: 'One row per person and currency: personId, currency, qualified, personalVolume, opening, ...',
} as const;

/** JSON (the `answer` class) by default; Accept: text/csv for one row per statement (an attachment). */
const jsonOrCsv = (answer: Type) =>
  ApiOkResponse({
    description: 'JSON by default; Accept: text/csv for one row per person and currency (an attachment)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(answer) } },
      'text/csv': { schema: STATEMENTS_CSV },
    },
  });

/** JSON or CSV, as the caller accepts; 406 NOT_ACCEPTABLE for anything else. */
function mediaTypeOf(request: FastifyRequest): string {
  const type = new Negotiator({ headers: { accept: request.headers.accept ?? '*/*' } }).mediaType(MEDIA_TYPES);
  if (type === undefined)
    throw new LedgerError('NOT_ACCEPTABLE', `served as ${MEDIA_TYPES.join(', ')}`, { available: MEDIA_TYPES });
  return type;
}

function render<const E extends object>(
  view: SealedView,
  extra: E,
  mediaType: string,
  reply: FastifyReply,
  name: string,
): (Omit<ClosePreviewAnswer, 'status'> & E) | string {
  void reply.header('vary', 'accept');
  if (mediaType === 'text/csv') {
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`);
    return statementsCsv(view.statements);
  }
  return {
    period: view.bounds.period,
    from: view.bounds.from,
    to: view.bounds.to,
    ...extra,
    asOfPosition: view.asOfPosition,
    planFingerprint: view.planFingerprint,
    statementDigest: view.statementDigest,
    totals: totalsOf(view.statements),
    statements: view.statements,
  };
}

@ApiTags('pay cycle')
@ApiExtraModels(ClosePreviewAnswer, PeriodStatementsAnswer)
@Access('admin')
@Controller('periods/:period')
export class PeriodsController {
  constructor(
    private readonly payCycle: PayCycleService,
    private readonly commands: CommandBus,
    private readonly consistency: ReadYourWrites,
  ) {}

  @ApiProblems('INVALID_PARAMETER', 'STORE_UNAVAILABLE')
  @Get()
  @ApiOperation({ summary: 'Whether a commission period is open or closed, and its close' })
  @ApiOkResponse({ type: PeriodStatusAnswer })
  async status(@Param('period', ParsePeriodPipe) period: string): Promise<PeriodStatusAnswer> {
    const bounds = this.payCycle.bounds(period);
    const close = await this.payCycle.closeOf(period);
    return {
      period,
      from: bounds.from,
      to: bounds.to,
      status: close === undefined ? 'open' : 'closed',
      close: close === undefined ? null : { ...close.data, position: close.position },
    };
  }

  @ApiProblems('INVALID_PARAMETER', 'PERIOD_NOT_NEXT', 'NOT_ACCEPTABLE', 'STORE_UNAVAILABLE')
  @Get('close-preview')
  @ApiOperation({ summary: 'What closing the period would seal now: every statement and the totals (JSON or CSV)' })
  @jsonOrCsv(ClosePreviewAnswer)
  async preview(
    @Param('period', ParsePeriodPipe) period: string,
    @Query() query: ConsistentQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClosePreviewAnswer | string> {
    const mediaType = mediaTypeOf(request);
    await this.consistency.await(query.minPosition);
    const view = await this.payCycle.seal(period, await this.payCycle.closes());
    return render(view, { status: 'preview' }, mediaType, reply, `close-preview-${period}`);
  }

  @PayCycleCommandAnswers(CloseAnswer, 'INVALID_PARAMETER', 'PERIOD_NOT_NEXT', 'PERIOD_NOT_ENDED')
  @Post('close')
  @ApiOperation({ summary: 'Close the period for good (PeriodClosed): its statements are sealed in the log' })
  async close(
    @Param('period', ParsePeriodPipe) period: string,
    @Body() body: ClosePeriodRequest,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CloseAnswer> {
    const outcome = await this.commands.execute(new ClosePeriod(period, body.operator, context));
    return { ...answer(reply, outcome), statementDigest: outcome.statementDigest };
  }

  @ApiProblems('INVALID_PARAMETER', 'PERIOD_NOT_CLOSED', 'STORE_UNAVAILABLE')
  @Get('payout-batch')
  @ApiOperation({ summary: "A closed period's payables as a payout batch: CSV of person, amount, currency, reference" })
  @ApiOkResponse({
    description: 'An attachment, payouts-<period>.csv',
    content: { 'text/csv': { schema: { type: 'string', description: 'person, amount, currency, reference' } } },
  })
  async payoutBatch(@Param('period', ParsePeriodPipe) period: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const close = await this.payCycle.closeOf(period);
    if (close === undefined) throw notClosed(period);
    const sealed = await this.payCycle.sealed(close);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="payouts-${period}.csv"`);
    return payoutBatchCsv(period, sealed.statements);
  }

  @PayCycleCommandAnswers(
    CommandAnswer,
    'INVALID_PARAMETER',
    'PERIOD_NOT_CLOSED',
    'PAYOUT_NOT_PAYABLE',
    'PAYOUT_ALREADY_RECORDED',
  )
  @Post('payouts')
  @ApiOperation({ summary: 'Record a payout the provider made for a payable of a closed period (PayoutRecorded)' })
  async payout(
    @Param('period', ParsePeriodPipe) period: string,
    @Body() body: RecordPayoutRequest,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const terms = { period, ...body, amount: normalizeAmount(body.amount, body.currency) };
    return answer(reply, await this.commands.execute(new RecordPayout(terms, context)));
  }

  @ApiProblems('INVALID_PARAMETER', 'PERIOD_NOT_CLOSED', 'NOT_ACCEPTABLE', 'STORE_UNAVAILABLE')
  @Get('statements')
  @ApiOperation({ summary: "A closed period's sealed statements, from the log (JSON or CSV)" })
  @jsonOrCsv(PeriodStatementsAnswer)
  async statements(
    @Param('period', ParsePeriodPipe) period: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PeriodStatementsAnswer | string> {
    const mediaType = mediaTypeOf(request);
    const close = await this.payCycle.closeOf(period);
    if (close === undefined) throw notClosed(period);
    const sealed = await this.payCycle.sealed(close);
    const view: SealedView = {
      bounds: { period, from: close.data.from, to: close.data.to },
      asOfPosition: close.data.asOfPosition,
      planFingerprint: close.data.planFingerprint,
      qualificationApplied: close.data.qualificationApplied,
      statements: sealed.statements,
      statementDigest: close.data.statementDigest,
    };
    return render(view, { status: 'closed', closedAt: close.data.closedAt }, mediaType, reply, `statements-${period}`);
  }
}
