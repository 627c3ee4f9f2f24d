import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiProblems } from '../../http/openapi.js';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Access } from '../../access/access.decorator.js';
import { ParseIdPipe } from '../../http/validation.js';
import { ConsistentQuery } from '../people/people-query.request.js';
import { ReadYourWrites } from '../generations/read-your-writes.js';
import { PayCycleService } from './pay-cycle.service.js';
import { ParsePeriodPipe } from './period-param.js';
import {
  ClosedPersonPeriodAnswer,
  OpenPersonPeriodAnswer,
  paidOverrideOf,
  periodLineOf,
} from './person-period.answer.js';

@ApiTags('pay cycle')
@ApiExtraModels(OpenPersonPeriodAnswer, ClosedPersonPeriodAnswer)
@Access('read')
@Controller('people/:personId/periods')
export class PersonPeriodsController {
  constructor(
    private readonly payCycle: PayCycleService,
    private readonly consistency: ReadYourWrites,
  ) {}

  @ApiProblems('INVALID_PARAMETER', 'PERSON_UNKNOWN', 'PROJECTION_BEHIND', 'STATEMENT_TOO_LARGE', 'STORE_UNAVAILABLE')
  @Get(':period')
  @ApiOperation({
    summary:
      "A person's commission period: while open, the figures and qualification so far (projected); once closed, the sealed statement",
  })
  @ApiOkResponse({
    description:
      'While open (status open, basis projected) the figures so far; once closed (basis final) the sealed statements',
    schema: {
      oneOf: [{ $ref: getSchemaPath(OpenPersonPeriodAnswer) }, { $ref: getSchemaPath(ClosedPersonPeriodAnswer) }],
      discriminator: {
        propertyName: 'status',
        mapping: { open: getSchemaPath(OpenPersonPeriodAnswer), closed: getSchemaPath(ClosedPersonPeriodAnswer) },
      },
    },
  })
  async period(
    @Param('personId', ParseIdPipe) personId: string,
    @Param('period', ParsePeriodPipe) period: string,
    @Query() query: ConsistentQuery,
  ): Promise<OpenPersonPeriodAnswer | ClosedPersonPeriodAnswer> {
    await this.consistency.await(query.minPosition);
    const close = await this.payCycle.closeOf(period);
    if (close !== undefined) {
      this.payCycle.assertKnownPerson(personId);
      const sealed = await this.payCycle.sealed(close);
      // under ranks a person with no statement in the period reached no rank (and earned no override in it)
      const rank =
        sealed.ranks === null ? undefined : (sealed.ranks.get(personId) ?? { name: null, overrideLevels: 0 });
      return {
        personId,
        period,
        from: close.data.from,
        to: close.data.to,
        ...(rank === undefined ? {} : { rank }),
        status: 'closed',
        basis: 'final',
        position: close.position,
        closedAt: close.data.closedAt,
        statementDigest: close.data.statementDigest,
        statements: sealed.statements.filter((s) => s.personId === personId),
      };
    }
    const { figures, comingAdjustments } = await this.payCycle.openPeriod(personId, period);
    return {
      personId,
      period,
      from: figures.bounds.from,
      to: figures.bounds.to,
      ...(figures.rank === undefined ? {} : { rank: figures.rank }),
      status: 'open',
      basis: 'projected',
      position: figures.position,
      qualification: figures.qualification,
      totals: figures.totals,
      lines: figures.lines.map(periodLineOf),
      paidOverrides: figures.paidOverrides.map(paidOverrideOf),
      comingAdjustments,
    };
  }
}
