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
import { RecordSale } from './record-sale.command.js';
import { RecordSaleRequest } from './record-sale.request.js';

@ApiTags('commands')
@Access('write')
@Controller('sales')
export class SalesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Record a single sale or the first sale of a subscription (SaleMade)' })
  @CommandAnswers('SALE_ID_REUSED', 'REP_UNKNOWN', 'SALE_BEFORE_RECRUITMENT', 'SUBSCRIPTION_ALREADY_STARTED')
  async record(
    @Body() body: RecordSaleRequest,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    const terms = {
      saleId: body.saleId,
      repId: body.repId,
      customerId: body.customerId,
      amount: normalizeAmount(body.amount, body.currency),
      currency: body.currency,
      kind: body.kind,
      subscriptionId: body.kind === 'subscription' ? body.subscriptionId! : null,
      ...(body.productCode === undefined ? {} : { productCode: body.productCode }),
      occurredAt: parseInstant(body.occurredAt)!,
    };
    return answer(reply, await this.commands.execute(new RecordSale(terms, context)));
  }
}
