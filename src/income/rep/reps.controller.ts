import { Access } from '../../access/access.decorator.js';
import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandAnswer, CommandAnswers, answer } from '../../http/command-answer.js';
import { CommandCtx } from '../../http/command-context.decorator.js';
import type { CommandContext } from '../ledger-streams.js';
import { parseInstant } from '../../shared/time.js';
import { RecruitRep } from './recruit-rep.command.js';
import { RecruitRepRequest } from './recruit-rep.request.js';

@ApiTags('commands')
@Access('write')
@Controller('reps')
export class RepsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Recruit a rep, or register a root rep or affiliate (RepRecruited)' })
  @CommandAnswers('REP_ID_REUSED', 'REP_SPONSORS_ITSELF', 'SPONSOR_UNKNOWN', 'SPONSOR_RECRUITED_LATER')
  async recruit(
    @Body() body: RecruitRepRequest,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    const terms = {
      repId: body.repId,
      sponsorId: body.sponsorId ?? null,
      name: body.name,
      recruitedAt: parseInstant(body.recruitedAt)!,
    };
    return answer(reply, await this.commands.execute(new RecruitRep(terms, context)));
  }
}
