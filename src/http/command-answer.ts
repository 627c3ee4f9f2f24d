import { ApiProperty } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandOutcome } from '../income/ledger-streams.js';

export class CommandAnswer {
  @ApiProperty({
    description: 'Global position of the event, a decimal string; pass it as minPosition to read your write',
    example: '42',
  })
  position!: string;

  @ApiProperty({ example: 'sale-S-1001' })
  stream!: string;

  @ApiProperty({ description: 'Revision of the event in its stream, from 0', example: 0 })
  revision!: number;
}

/** 201 the first time, 200 with the same body when an identical command is retried. */
export function answer(reply: FastifyReply, outcome: CommandOutcome): CommandAnswer {
  void reply.status(outcome.created ? 201 : 200);
  return { position: outcome.position, stream: outcome.stream, revision: outcome.revision };
}
