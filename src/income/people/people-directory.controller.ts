import { ApiProblems } from '../../http/openapi.js';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../access/access.decorator.js';
import { RequestInvalidError } from '../../http/problem.js';
import { ParseIdPipe } from '../../http/validation.js';
import { parseInstant } from '../../shared/time.js';
import { IncomeProjection } from '../generations/income-projection.js';
import { ReadYourWrites } from '../generations/read-your-writes.js';
import { incomeByMonth } from './income-by-month.query.js';
import { unknownPerson, assertKnownPerson } from './known-person.js';
import { decodePeopleCursor, findPerson, listPeople } from './people-list.query.js';
import { PeopleListQuery } from './people-directory.request.js';
import { ConsistentQuery, PeriodQuery } from './people-query.request.js';
import { IncomeByMonthAnswer, PeoplePageAnswer, PersonAnswer } from './people.answer.js';

/** Who is in the ledger, and a person's income month by month (the console's chart, for integrators too). */
@ApiTags('queries')
@Access('read')
@ApiProblems('INVALID_PARAMETER', 'PERSON_UNKNOWN', 'PROJECTION_BEHIND')
@Controller('people')
export class PeopleDirectoryController {
  constructor(
    private readonly projection: IncomeProjection,
    private readonly consistency: ReadYourWrites,
  ) {}

  @Get()
  @ApiOperation({ summary: 'People whose id or name contains `search`, in id order; paged' })
  @ApiOkResponse({ type: PeoplePageAnswer })
  async list(@Query() query: PeopleListQuery): Promise<PeoplePageAnswer> {
    await this.consistency.await(query.minPosition);
    const after = query.cursor === undefined ? undefined : peopleCursor(query.cursor);
    const readModel = this.projection.readModel();
    return readModel.read(() => ({
      position: readModel.checkpoint(),
      ...listPeople(readModel, { search: query.search ?? '', after, limit: query.limit ?? 50 }),
    }));
  }

  @Get(':personId')
  @ApiOperation({ summary: 'A person: name, sponsor, when recruited' })
  @ApiOkResponse({ type: PersonAnswer })
  async person(@Param('personId', ParseIdPipe) personId: string, @Query() query: ConsistentQuery) {
    await this.consistency.await(query.minPosition);
    const readModel = this.projection.readModel();
    return readModel.read(() => {
      const person = findPerson(readModel, personId);
      if (person === undefined) throw unknownPerson(personId);
      return { ...person, position: readModel.checkpoint() };
    });
  }

  @Get(':personId/income/monthly')
  @ApiOperation({ summary: 'Income per UTC calendar month (business time) and currency, split by kind' })
  @ApiOkResponse({ type: IncomeByMonthAnswer })
  async monthly(
    @Param('personId', ParseIdPipe) personId: string,
    @Query() query: PeriodQuery,
  ): Promise<IncomeByMonthAnswer> {
    await this.consistency.await(query.minPosition);
    const period = {
      from: query.from === undefined ? undefined : parseInstant(query.from)!,
      to: query.to === undefined ? undefined : parseInstant(query.to)!,
    };
    const readModel = this.projection.readModel();
    return readModel.read(() => {
      assertKnownPerson(readModel, personId);
      return { personId, position: readModel.checkpoint(), months: incomeByMonth(readModel, personId, period) };
    });
  }
}

/** A people cursor back to the id it continues after; 400 for one this API did not give out. */
function peopleCursor(cursor: string): string {
  const after = decodePeopleCursor(cursor);
  if (after === null) {
    throw new RequestInvalidError('INVALID_PARAMETER', 'cursor is not a nextCursor of this API', [
      { field: 'cursor', problems: ['cursor must be a nextCursor from a previous page'] },
    ]);
  }
  return after;
}
