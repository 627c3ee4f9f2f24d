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
import { RenewSubscription } from './renew-subscription.command.js';
import { RenewSubscriptionRequest } from './renew-subscription.request.js';

@ApiTags('commands')
@Access('write')
@Controller('subscriptions/:subscriptionId/renewals')
export class RenewalsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Record a renewal payment of a subscription (SubscriptionRenewed)' })
  @CommandAnswers(
    'RENEWAL_ID_REUSED',
    'SUBSCRIPTION_UNKNOWN',
    'RENEWAL_CURRENCY_MISMATCH',
    'RENEWAL_BEFORE_SALE',
    'SUBSCRIPTION_CANCELLED',
    'RENEWAL_EXCEEDS_SALE_RATIO',
  )
  async renew(
    @Param('subscriptionId', ParseIdPipe) subscriptionId: string,
    @Body() body: RenewSubscriptionRequest,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    const terms = {
      subscriptionId,
      renewalId: body.renewalId,
      amount: normalizeAmount(body.amount, body.currency),
      currency: body.currency,
      renewedAt: parseInstant(body.renewedAt)!,
    };
    return answer(reply, await this.commands.execute(new RenewSubscription(terms, context)));
  }
}
