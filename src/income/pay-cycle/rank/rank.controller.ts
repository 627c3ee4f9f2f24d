import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../../../access/access.decorator.js';
import { ApiProblems } from '../../../http/openapi.js';
import { ParseIdPipe } from '../../../http/validation.js';
import { ConsistentQuery } from '../../people/people-query.request.js';
import { ReadYourWrites } from '../../generations/read-your-writes.js';
import { ParsePeriodPipe } from '../period-param.js';
import { RankCardAnswer } from './rank-card.answer.js';
import { RankCardService } from './rank-card.service.js';

@ApiTags('pay cycle')
@Access('read')
@Controller('people/:personId/periods')
export class RankCardController {
  constructor(
    private readonly ranks: RankCardService,
    private readonly consistency: ReadYourWrites,
  ) {}

  @ApiProblems('INVALID_PARAMETER', 'PERSON_UNKNOWN', 'PROJECTION_BEHIND', 'STORE_UNAVAILABLE')
  @ApiOkResponse({ type: RankCardAnswer })
  @Get(':period/rank')
  @ApiOperation({
    summary:
      "A person's rank card for a period: the rank reached, its override levels, and what the next rank still lacks",
  })
  async rank(
    @Param('personId', ParseIdPipe) personId: string,
    @Param('period', ParsePeriodPipe) period: string,
    @Query() query: ConsistentQuery,
  ) {
    await this.consistency.await(query.minPosition);
    const { card, bounds, status, basis, position } = await this.ranks.rankCard(personId, period);
    const { personId: _person, ...rest } = card;
    return { personId, period, from: bounds.from, to: bounds.to, status, basis, position, ...rest };
  }
}
