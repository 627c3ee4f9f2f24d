import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { Access } from '../../access/access.decorator.js';
import { isPosition } from '../../event-store/event-store.port.js';
import { ApiProblems } from '../../http/openapi.js';
import { RequestInvalidError } from '../../http/problem.js';
import { ParseIdPipe } from '../../http/validation.js';
import { LedgerError } from '../../shared/errors.js';
import { parseInstant } from '../../shared/time.js';
import type { KnowledgePoint } from '../generations/catalog.js';
import { BuildStoppedError } from '../generations/generation-build.js';
import { callerOf, StatementLimits } from './statement-limits.js';
import { StatementQuery } from './statement-query.request.js';
import { PositionPoint, RecordedAtPoint, StatementAnswer } from './statement.answer.js';
import { statementCsv, statementHtml } from './statement.render.js';
import { StatementService, type StatementRequest } from './statement.service.js';

const MEDIA_TYPES = ['application/json', 'text/csv', 'text/html'];

@ApiTags('queries')
@ApiExtraModels(StatementAnswer, PositionPoint, RecordedAtPoint)
@Access('read')
@Controller('people/:personId')
export class StatementController {
  constructor(
    private readonly statements: StatementService,
    private readonly limits: StatementLimits,
  ) {}

  @Get('statement')
  @ApiOperation({
    summary:
      'Opening balance, every line of the period with its provenance, closing balance; as of a knowledge point, compared with now',
  })
  @ApiOkResponse({
    description: 'JSON by default; Accept: text/csv for one flat table (an attachment), text/html for a printable page',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(StatementAnswer) } },
      'text/csv': { schema: { type: 'string', description: 'record, occurredAt, recordedAt, kind, rule, ...' } },
      'text/html': { schema: { type: 'string', description: 'A printable page: no scripts, no external resources' } },
    },
  })
  @ApiProblems(
    'PERSON_UNKNOWN',
    'PROJECTION_BEHIND',
    'INVALID_PARAMETER',
    'NOT_ACCEPTABLE',
    'AS_OF_IN_FUTURE',
    'STATEMENT_TOO_LARGE',
    'REFOLD_BUSY',
    'TOO_MANY_STATEMENTS',
    'STATEMENTS_BUSY',
    'CLIENT_GONE',
    'STORE_UNAVAILABLE',
  )
  async statement(
    @Param('personId', ParseIdPipe) personId: string,
    @Query() query: StatementQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StatementAnswer | string> {
    const mediaType = new Negotiator({ headers: { accept: request.headers.accept ?? '*/*' } }).mediaType(MEDIA_TYPES);
    if (mediaType === undefined) {
      throw new LedgerError('NOT_ACCEPTABLE', `a statement is served as ${MEDIA_TYPES.join(', ')}`, {
        available: MEDIA_TYPES,
      });
    }
    const wanted = toRequest(personId, query);
    if (query.minPosition !== undefined) await this.statements.awaitPosition(query.minPosition);
    const statement = await this.limits.run(callerOf(request), () => this.answer(wanted, reply));
    void reply.header('vary', 'accept');
    if (mediaType === 'text/csv') {
      const name = `statement-${personId}-${wanted.period.from.slice(0, 10)}-${wanted.period.to.slice(0, 10)}.csv`;
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`);
      return statementCsv(statement);
    }
    if (mediaType === 'text/html') {
      void reply.header('content-type', 'text/html; charset=utf-8');
      return statementHtml(statement);
    }
    return statement;
  }

  /** The statement, unless the client goes first: then a refold for it stops, and nobody is answered. */
  private async answer(wanted: StatementRequest, reply: FastifyReply) {
    const gone = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) gone.abort();
    };
    reply.raw.once('close', onClose);
    try {
      return await this.statements.statement({ ...wanted, signal: gone.signal });
    } catch (error) {
      if (gone.signal.aborted && error instanceof BuildStoppedError)
        throw new LedgerError('CLIENT_GONE', 'the client closed the connection before the statement was ready');
      throw error;
    } finally {
      reply.raw.off('close', onClose);
    }
  }
}

function toRequest(personId: string, query: StatementQuery): StatementRequest {
  const from = parseInstant(query.from)!;
  const to = parseInstant(query.to)!;
  if (from >= to) {
    throw new RequestInvalidError('INVALID_PARAMETER', 'the period is empty', [
      { field: 'to', problems: ['to must be later than from'] },
    ]);
  }
  if (query.compareWith !== undefined && query.asOf === undefined) {
    throw new RequestInvalidError('INVALID_PARAMETER', 'compareWith needs asOf', [
      {
        field: 'compareWith',
        problems: ['compareWith=now compares a statement as of an earlier point (asOf) with now'],
      },
    ]);
  }
  const asOf: KnowledgePoint | undefined =
    query.asOf === undefined
      ? undefined
      : isPosition(query.asOf)
        ? { position: query.asOf }
        : { recordedAt: parseInstant(query.asOf)! };
  return { personId, period: { from, to }, asOf, compareWithNow: query.compareWith === 'now' };
}
