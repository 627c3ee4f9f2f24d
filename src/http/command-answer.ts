import { applyDecorators, type Type } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandOutcome } from '../income/ledger-streams.js';
import { ApiProblems } from './openapi.js';
import type { ProblemCode } from './problem.js';

export class CommandAnswer {
  @ApiProperty({
    description: 'Global position of the event, a decimal string; pass it as minPosition to read your write',
    example: '42',
  })
  position!: string;

  @ApiProperty({ example: 'sale-S-1001' })
  stream!: string;

  @ApiProperty({ type: 'integer', description: 'Revision of the event in its stream, from 0', example: 0 })
  revision!: number;
}

/** The problems every append can give: the stream kept moving, the event too large, the store away. */
const APPEND_PROBLEMS = [
  'CONCURRENCY_CONFLICT',
  'APPEND_TOO_LARGE',
  'STORE_UNAVAILABLE',
] as const satisfies ProblemCode[];

/** 201 the first time and 200 on an identical retry, both with `type`; and the problems `codes`. */
const answers = (type: Type<CommandAnswer>, codes: readonly ProblemCode[]) =>
  applyDecorators(
    ApiResponse({ status: 201, type, description: 'recorded' }),
    ApiResponse({ status: 200, type, description: 'identical retry; nothing written' }),
    ApiProblems(...codes, ...APPEND_PROBLEMS),
  );

/**
 * A fact's command: 201 the first time, 200 on an identical retry, and the problems its decider (`codes`)
 * and every append (a fact dated too far ahead, and APPEND_PROBLEMS) can give.
 */
export const CommandAnswers = (...codes: ProblemCode[]) => answers(CommandAnswer, [...codes, 'OCCURRED_IN_FUTURE']);

/**
 * A pay-cycle command (a close, a hold, a payout), answering `type` (a CommandAnswer, or one with more fields).
 * The ledger's own clock dates it (closedAt, setAt, liftedAt) and it carries no business time, so no append of
 * it is refused as dated too far ahead: OCCURRED_IN_FUTURE is not among its problems.
 */
export const PayCycleCommandAnswers = (type: Type<CommandAnswer>, ...codes: ProblemCode[]) => answers(type, codes);

/** 201 the first time, 200 with the same body when an identical command is retried. */
export function answer(reply: FastifyReply, outcome: CommandOutcome): CommandAnswer {
  void reply.status(outcome.created ? 201 : 200);
  return { position: outcome.position, stream: outcome.stream, revision: outcome.revision };
}
