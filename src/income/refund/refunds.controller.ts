import { Access } from '../../access/access.decorator.js';
import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandAnswer, CommandAnswers, answer } from '../../http/command-answer.js';
import { CommandCtx } from '../../http/command-context.decorator.js';
import { ParseIdPipe } from '../../http/validation.js';
import { normalizeAmount } from '../../shared/money.js';
import { parseInstant } from '../../shared/time.js';
import type { CommandContext } from '../ledger-streams.js';
import { RefundSale } from './refund-sale.command.js';
import { RefundSaleRequest } from './refund-sale.request.js';

@ApiTags('commands')
@Access('write')
@Controller('sales/:saleId/refunds')
export class RefundsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Refund all or part of a sale (SaleRefunded): every line it produced is reversed in proportion',
  })
  @CommandAnswers(
    'REFUND_ID_REUSED',
    'SALE_UNKNOWN',
    'REFUND_CURRENCY_MISMATCH',
    'REFUND_BEFORE_SALE',
    'REFUND_EXCEEDS_SALE',
  )
  async refund(
    @Param('saleId', ParseIdPipe) saleId: string,
    @Body() body: RefundSaleRequest,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    const terms = {
      saleId,
      refundId: body.refundId,
      amount: normalizeAmount(body.amount, body.currency),
      currency: body.currency,
      reason: body.reason,
      refundedAt: parseInstant(body.refundedAt)!,
    };
    return answer(reply, await this.commands.execute(new RefundSale(terms, context)));
  }
}
