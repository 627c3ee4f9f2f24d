import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../../../access/access.decorator.js';
import { CommandAnswer, PayCycleCommandAnswers, answer } from '../../../http/command-answer.js';
import { CommandCtx } from '../../../http/command-context.decorator.js';
import { ApiProblems } from '../../../http/openapi.js';
import { ParseIdPipe } from '../../../http/validation.js';
import { Clock } from '../../../shared/clock.js';
import type { CommandContext } from '../../ledger-streams.js';
import { LiftHold, SetHold } from './hold.commands.js';
import { ConsistentQuery } from '../../people/people-query.request.js';
import { ReadYourWrites } from '../../generations/read-your-writes.js';
import { PayCycleService } from '../pay-cycle.service.js';
import { LiftHoldRequest, SetHoldRequest } from './hold.request.js';
import { PersonHoldsAnswer } from './holds.answer.js';

@ApiTags('pay cycle')
@Access('admin')
@Controller('people/:personId/holds')
export class HoldsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly clock: Clock,
    private readonly payCycle: PayCycleService,
    private readonly consistency: ReadYourWrites,
  ) {}

  @ApiProblems('INVALID_PARAMETER', 'PERSON_UNKNOWN', 'PROJECTION_BEHIND', 'STORE_UNAVAILABLE')
  @Get()
  @ApiOperation({ summary: 'Every hold set on a person, standing or lifted, with who set and lifted it and why' })
  @ApiOkResponse({ type: PersonHoldsAnswer })
  async list(
    @Param('personId', ParseIdPipe) personId: string,
    @Query() query: ConsistentQuery,
  ): Promise<PersonHoldsAnswer> {
    await this.consistency.await(query.minPosition);
    return { personId, holds: await this.payCycle.holdsOf(personId) };
  }

  @PayCycleCommandAnswers(CommandAnswer, 'PERSON_UNKNOWN', 'HOLD_ID_REUSED')
  @Post()
  @ApiOperation({ summary: 'Hold everything a person is owed from the next close on (HoldSet)' })
  async set(
    @Param('personId', ParseIdPipe) personId: string,
    @Body() body: SetHoldRequest,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    const terms = { personId, ...body, setAt: this.clock.now().toISOString() };
    return answer(reply, await this.commands.execute(new SetHold(terms, context)));
  }

  @PayCycleCommandAnswers(CommandAnswer, 'INVALID_PARAMETER', 'HOLD_UNKNOWN', 'HOLD_ALREADY_LIFTED')
  @Post(':holdId/lift')
  @ApiOperation({ summary: 'Lift a hold (HoldLifted), releasing or forfeiting what it kept' })
  async lift(
    @Param('personId', ParseIdPipe) personId: string,
    @Param('holdId', ParseIdPipe) holdId: string,
    @Body() body: LiftHoldRequest,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    const terms = { personId, holdId, ...body, liftedAt: this.clock.now().toISOString() };
    return answer(reply, await this.commands.execute(new LiftHold(terms, context)));
  }
}
