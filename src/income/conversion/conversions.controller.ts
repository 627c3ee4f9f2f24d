import { Access } from '../../access/access.decorator.js';
import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandAnswer, CommandAnswers, answer } from '../../http/command-answer.js';
import { CommandCtx } from '../../http/command-context.decorator.js';
import { normalizeAmount } from '../../shared/money.js';
import { parseInstant } from '../../shared/time.js';
import type { CommandContext } from '../ledger-streams.js';
import { ConvertClick } from './convert-click.command.js';
import { ConvertClickRequest } from './convert-click.request.js';

@ApiTags('commands')
@Access('write')
@Controller('affiliate-conversions')
export class ConversionsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({ summary: "Record an affiliate's converted click (AffiliateClickConverted)" })
  @CommandAnswers('CLICK_ID_REUSED', 'AFFILIATE_UNKNOWN', 'CONVERSION_BEFORE_REGISTRATION', 'ORDER_ALREADY_CONVERTED')
  async convert(
    @Body() body: ConvertClickRequest,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    const terms = {
      clickId: body.clickId,
      affiliateId: body.affiliateId,
      orderId: body.orderId,
      amount: normalizeAmount(body.amount, body.currency),
      currency: body.currency,
      convertedAt: parseInstant(body.convertedAt)!,
    };
    return answer(reply, await this.commands.execute(new ConvertClick(terms, context)));
  }
}
