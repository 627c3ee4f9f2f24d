import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '../income/ledger-streams.js';

/** The request id becomes the command's correlation id, stored in the event's metadata. */
export const CommandCtx = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandContext => ({
  correlationId: String(ctx.switchToHttp().getRequest<FastifyRequest>().id),
}));
