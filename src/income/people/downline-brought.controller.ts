import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../access/access.decorator.js';
import { ApiProblems } from '../../http/openapi.js';
import { ParseIdPipe } from '../../http/validation.js';
import { IncomeProjection } from '../generations/income-projection.js';
import { ReadYourWrites } from '../generations/read-your-writes.js';
import { downlineBrought } from './downline-brought.query.js';
import { assertKnownPerson } from './known-person.js';
import { DownlineBroughtAnswer } from './people.answer.js';
import { ConsistentQuery } from './people-query.request.js';

/** What each member of a person's downline brought them (the console's downline tree, for integrators too). */
@ApiTags('queries')
@Access('read')
@ApiProblems('PERSON_UNKNOWN', 'PROJECTION_BEHIND')
@Controller('people/:personId/downline')
export class DownlineBroughtController {
  constructor(
    private readonly projection: IncomeProjection,
    private readonly consistency: ReadYourWrites,
  ) {}

  @Get('brought')
  @ApiOperation({
    summary: "What each member of the downline brought the person: override income from that member's branch",
  })
  @ApiOkResponse({ type: DownlineBroughtAnswer })
  async brought(
    @Param('personId', ParseIdPipe) personId: string,
    @Query() query: ConsistentQuery,
  ): Promise<DownlineBroughtAnswer> {
    await this.consistency.await(query.minPosition);
    const readModel = this.projection.readModel();
    return readModel.read(() => {
      assertKnownPerson(readModel, personId);
      return { personId, position: readModel.checkpoint(), ...downlineBrought(readModel, personId) };
    });
  }
}
