import { Access } from '../../access/access.decorator.js';
import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandAnswer, CommandAnswers, answer } from '../../http/command-answer.js';
import { CommandCtx } from '../../http/command-context.decorator.js';
import { ParseIdPipe } from '../../http/validation.js';
import { parseInstant } from '../../shared/time.js';
import type { CommandContext } from '../ledger-streams.js';
import { CancelSubscription } from './cancel-subscription.command.js';
import { CancelSubscriptionRequest } from './cancel-subscription.request.js';

@ApiTags('commands')
@Access('write')
@Controller('subscriptions/:subscriptionId/cancellation')
export class CancellationsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Cancel a subscription (SubscriptionCancelled): later renewals are refused' })
  @CommandAnswers(
    'SUBSCRIPTION_UNKNOWN',
    'SUBSCRIPTION_ALREADY_CANCELLED',
    'CANCELLATION_BEFORE_SALE',
    'CANCELLATION_BEFORE_RENEWALS',
  )
  async cancel(
    @Param('subscriptionId', ParseIdPipe) subscriptionId: string,
    @Body() body: CancelSubscriptionRequest,
    @CommandCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandAnswer> {
    const terms = { subscriptionId, reason: body.reason, cancelledAt: parseInstant(body.cancelledAt)! };
    return answer(reply, await this.commands.execute(new CancelSubscription(terms, context)));
  }
}
